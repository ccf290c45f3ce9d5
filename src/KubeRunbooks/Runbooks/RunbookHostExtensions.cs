using Cake.Frosting;
using Microsoft.Extensions.DependencyInjection;

namespace KubeRunbooks.Runbooks;

/// <summary>Configures a Frosting host for runbooks: the context, the journal hooks, the report.</summary>
public static class RunbookHostExtensions
{
    /// <summary>
    /// Uses <see cref="RunbookContext"/>, records every task in the run journal and writes the run
    /// report at the end. <typeparamref name="TLocalClusters"/> starts the embedded cluster.
    /// </summary>
    public static CakeHost UseRunbooks<TLocalClusters>(this CakeHost host)
        where TLocalClusters : class, ILocalClusterFactory =>
        host.UseRunbooks().ConfigureServices(services => services.AddSingleton<ILocalClusterFactory, TLocalClusters>());

    /// <summary>Uses <see cref="RunbookContext"/> without an embedded cluster (real clusters only).</summary>
    public static CakeHost UseRunbooks(this CakeHost host) =>
        host.UseContext<RunbookContext>()
            .UseTaskLifetime<RunJournalTaskLifetime>()
            .ConfigureServices(services =>
            {
                services.AddSingleton<RunbookSession>();
                services.AddSingleton<KubeRunbooks.Frosting.IRunListener, RunReportListener>();
            });
}

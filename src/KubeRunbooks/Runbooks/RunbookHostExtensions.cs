using System.Reflection;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Reporting;
using KubeRunbooks.Runbooks.Products;
using Microsoft.Extensions.DependencyInjection;

namespace KubeRunbooks.Runbooks;

/// <summary>Configures a Frosting host for runbooks: the context, the journal hooks, the report.</summary>
public static class RunbookHostExtensions
{
    /// <summary>
    /// Uses <see cref="RunbookContext"/>, records every task in the run journal and writes the run
    /// report at the end. <typeparamref name="TLocalClusters"/> starts the embedded cluster.
    /// </summary>
    public static RunbookHost UseRunbooks<TLocalClusters>(this RunbookHost host)
        where TLocalClusters : class, ILocalClusterFactory =>
        host.UseRunbooks().ConfigureServices(services => services.AddSingleton<ILocalClusterFactory, TLocalClusters>());

    /// <summary>Uses <see cref="RunbookContext"/> without an embedded cluster (real clusters only).</summary>
    public static RunbookHost UseRunbooks(this RunbookHost host) =>
        host.UseContext<RunbookContext>()
            .UseTaskLifetime<RunJournalTaskLifetime>()
            .ConfigureServices(services =>
            {
                services.AddSingleton<RunbookSession>();
                services.AddSingleton<KubeRunbooks.Frosting.IRunListener, RunReportListener>();
                services.AddSingleton<KubeRunbooks.Frosting.IRunListener, KubeRunbooks.Reporting.Pipelines.RunnerErrorListener>();
                // After the report listener: the report GitHub receives is the completed one.
                services.AddSingleton<KubeRunbooks.Reporting.GitHub.GitHubRunReporter>();
                services.AddSingleton<KubeRunbooks.Frosting.IRunListener>(p => p.GetRequiredService<KubeRunbooks.Reporting.GitHub.GitHubRunReporter>());
                MaskCakeLog(services);
            });

    /// <summary>
    /// Registers every product module (<see cref="IProductModule"/>) of <paramref name="assemblies"/>: their profile
    /// sections, plans and ClusterInfo lines. A new product folder is found without any other change.
    /// </summary>
    public static RunbookHost UseProductsFrom(this RunbookHost host, params Assembly[] assemblies) =>
        host.ConfigureServices(services => services.AddSingleton(ProductRegistry.FromAssemblies(assemblies)));

    // Every line Cake writes goes through the session's secret masker: decorate the host's ICakeLog.
    private static void MaskCakeLog(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(ICakeLog));
        services.Remove(original);
        services.AddSingleton<ICakeLog>(provider =>
        {
            var inner = original.ImplementationInstance as ICakeLog
                ?? original.ImplementationFactory?.Invoke(provider) as ICakeLog
                ?? (ICakeLog)ActivatorUtilities.CreateInstance(provider, original.ImplementationType!);
            // On a CI runner errors and warnings become annotations; the runner is known once Cake's context exists.
            var annotating = new KubeRunbooks.Reporting.Pipelines.RunnerCakeLog(inner,
                () => KubeRunbooks.Reporting.Pipelines.PipelineIntegration.Detect(provider.GetRequiredService<Cake.Core.ICakeContext>()));
            return new MaskingCakeLog(annotating, provider.GetRequiredService<RunbookSession>().Masker);
        });
    }
}

using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Kubernetes.ClusterInfo;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Common;

/// <summary>Client and server versions, the version skew check, the profile's workloads, and each product module's lines.</summary>
[TaskName("ClusterInfo")]
[TaskDescription("Client and server versions, skew check (kubectl within one minor of the server), workloads with replicas, images and nodes")]
public sealed class ClusterInfoTask : AsyncFrostingTask<RunbookContext>
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        using var timeout = new CancellationTokenSource(context.Profile.Timeouts.Default);
        var report = await new ClusterInfoCollector(context.Kubernetes, KubectlClientVersion.OnPath)
            .CollectAsync(context.Profile, timeout.Token);
        foreach (var line in ClusterInfoRenderer.Render(report))
        {
            context.Log.Information(line);
        }

        foreach (var warning in report.Warnings)
        {
            context.Log.Warning(warning);
        }

        context.Journal.RecordFacts(report.ToFacts());
        foreach (var product in context.Products.Modules)
        {
            foreach (var (key, value) in await product.ClusterInfoAsync(context, timeout.Token))
            {
                context.Log.Information($"{key}: {value}");
                context.Journal.RecordFact(key, value);
            }
        }
    }
}

using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>Waits by watch until vantiq-0 is Ready: downtime ends.</summary>
[TaskName("WaitVantiqReady")]
[TaskDescription("Waits until vantiq-0 is Ready (downtime ends)")]
public sealed class WaitVantiqReadyTask : AsyncFrostingTask<RunbookContext>
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new VantiqKit(context);
        if (await kit.AlreadyUpAsync("WaitVantiqReady")) return;
        await kit.Workloads.WaitForReplicasAsync(kit.Plan.Server, 1, context.Profile.Timeouts.PodReady, kit.Token);
        if (await kit.Downtime.EndAsync(kit.Token) is { } downtime)
        {
            context.Facts.Record(VantiqFacts.Downtime, downtime);
            context.Log.Information($"{kit.Plan.Server.FirstPodName} is Ready: downtime ends after {downtime:hh\\:mm\\:ss}.");
        }
    }
}

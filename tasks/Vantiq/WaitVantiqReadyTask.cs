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
        var record = await kit.ReadRecordAsync();
        if (record is not null) await kit.UpdateRecordAsync(r => r with { ReadyAt = DateTimeOffset.UtcNow });
        if (record?.StoppedAt is { } since)
        {
            var downtime = DateTimeOffset.UtcNow - since;
            kit.Outcome.Downtime = downtime;
            context.Journal.RecordFact("downtime", downtime.ToString(@"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture));
            context.Log.Information($"{kit.Plan.Server.Name}-0 is Ready: downtime ends after {downtime:hh\\:mm\\:ss}.");
        }
    }
}

using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Downtime;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>
/// The seed's サービス停止: the reverse proxy to 0 first (no more writes from users), then the backyard workloads,
/// each waiting until its pods are gone; the replicas are recorded on the workloads before (a rerun keeps the record).
/// </summary>
[TaskName("StopExastro")]
[TaskDescription("Scales the reverse proxy (platform-auth), then the backyard (ita-by-*) to 0, replicas recorded, and waits until their pods are gone")]
public sealed class StopExastroTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new ExastroKit(context);
        context.Log.Information("Stopping the reverse proxy, then the backyard: downtime starts.");
        await kit.GuardAsync("Stopping the services", async () =>
        {
            var recorded = await kit.StopAsync();
            context.Facts.Record(ExastroFacts.ReplicasRecorded, DowntimeWindow.Describe(recorded));
            context.Log.Information($"Stopped; replicas recorded: {DowntimeWindow.Describe(recorded)}.");
        }, FailSet(context));
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var install = ((RunbookContext)context).Plan<ExastroPlan>().Install;
        yield return $"annotate {install.ReverseProxy} and the backyard with their replicas ({string.Join(", ", install.Replicas.Select(r => $"{r.Key.Name} {r.Value}"))})";
        yield return $"scale {install.ReverseProxy} to 0 and wait until its pods are gone";
        foreach (var w in install.Backyard) yield return $"scale {w} to 0 and wait until its pods are gone";
    }

    /// <summary>Marks the backup set of this run failed (a restore has none).</summary>
    internal static Action<string> FailSet(RunbookContext context) => error =>
    {
        if (context.Facts.TryGet(ExastroFacts.BackupSet, out var set)) set.Fail(error);
    };
}

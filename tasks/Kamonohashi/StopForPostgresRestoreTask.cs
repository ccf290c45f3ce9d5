using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Downtime;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>
/// The seed's <c>deploy-kamonohashi.sh clean app</c>, then the database: each workload's replicas recorded on it
/// (a rerun keeps the first record), the application scaled to 0, then the database, each waited for until its pods are gone.
/// </summary>
[TaskName("StopForPostgresRestore")]
[TaskDescription("Records replicas, stops the application, then the database (pods gone)")]
public sealed class StopForPostgresRestoreTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new PostgresRestoreKit(context);
        if ((await kit.RecordAsync())?.Mark(PostgresRestoreKit.RestoredMark) is not null) return; // a rerun after the restore: only the start is left
        var app = await kit.AppWindow.RecordAsync(kit.Token);
        var database = await kit.DatabaseWindow.RecordAsync(kit.Token);
        context.Log.Information("{0}", $"Stopping the application ({DowntimeWindow.Describe(app)}), then the database ({DowntimeWindow.Describe(database)}).");
        await kit.AppWindow.StopAsync(kit.Token);
        await kit.DatabaseWindow.StopAsync(kit.Token);
        context.Journal.RecordFact("replicasRecorded", DowntimeWindow.Describe(app.Concat(database)));
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ((RunbookContext)context).Plan<PostgresRestorePlan>();
        return plan.Application.Append(plan.Database).Select(w => $"record the replicas of {w}, scale it to 0 and wait until its pods are gone");
    }
}

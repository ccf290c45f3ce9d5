using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>
/// Sets <c>BackupPostgresTimerOptions__WeeklyTimeSchedule</c> and <c>__MaxNumberOfBackupFiles</c> in one request
/// where the application reads them (its Deployment's container env, or the profile's ConfigMap). Values already set
/// are not written again: a rerun changes nothing.
/// </summary>
[TaskName("WriteBackupSettings")]
[TaskDescription("Sets the application's BackupPostgresTimerOptions (schedule, generations) on the cluster, when they differ")]
public sealed class WriteBackupSettingsTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var plan = BackupSchedulePlan.Of(context);
        var changes = plan.Changes;
        if (changes.Count == 0)
        {
            context.Log.Information("{0}", $"Nothing to change: {plan.Store.Description} already has {Describe(plan)}.");
            context.Journal.RecordFact("changed", "no");
            return;
        }

        foreach (var change in changes) context.Log.Information("{0}", $"Setting {change.Describe(BackupSchedulePlan.DefaultOf(change.Key))} in {plan.Store.Description}.");
        await plan.Store.WriteAsync(changes.ToDictionary(c => c.Key, c => c.Wanted), context.LockLost);
        context.Journal.RecordFact("changed", string.Join("; ", changes.Select(c => c.Describe(BackupSchedulePlan.DefaultOf(c.Key)))));
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = BackupSchedulePlan.Of((RunbookContext)context);
        if (plan.Changes.Count == 0) return [$"nothing: {plan.Store.Description} already has {Describe(plan)}"];
        return plan.Changes.Select(c => $"set {c.Key}={c.Wanted} in {plan.Store.Description} (now {c.Current ?? $"unset, default {BackupSchedulePlan.DefaultOf(c.Key)}"})");
    }

    private static string Describe(BackupSchedulePlan plan) => string.Join(", ", plan.Requested.Select(s => $"{s.Key}={s.Wanted}"));
}

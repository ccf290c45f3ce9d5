using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Backups;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>
/// The seed's generations: keeps the newest <c>MaxNumberOfBackupFiles</c> (the profile's backups.retention) complete
/// PostgreSQL sets, and the profile's daily / weekly / monthly ones, and deletes older ones; never the set just
/// written, another kind's, or an unreadable one.
/// </summary>
[TaskName("PostgresRetention")]
[TaskDescription("Keeps the newest backups.retention PostgreSQL sets (the seed's MaxNumberOfBackupFiles) and the keepDaily/keepWeekly/keepMonthly generations, deletes older ones")]
public sealed class PostgresRetentionTask : FrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override void Run(RunbookContext context)
    {
        var plan = context.Plan<PostgresBackupPlan>();
        if (!context.Facts.TryGet(KamonohashiFacts.BackupSet, out var written)) return; // skipped: nothing new, nothing to prune
        var outcome = BackupRetention.Apply(new BackupStore(plan.BackupFolder), PostgresBackupPlan.Kind, plan.Retention, written);
        foreach (var line in outcome.Lines()) context.Log.Information("{0}", line);
        context.Journal.RecordFact("kept", string.Join("; ", outcome.Kept));
        context.Journal.RecordFact("deleted", string.Join(", ", outcome.Deleted));
        if (outcome.Unreadable.Count > 0) context.Journal.RecordFact("left alone (unreadable)", string.Join(", ", outcome.Unreadable));
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ((RunbookContext)context).Plan<PostgresBackupPlan>();
        if (!plan.Runs) return [];
        // The new set counts as the newest, started now.
        var outcome = BackupRetention.Decide(new BackupStore(plan.BackupFolder).List(), PostgresBackupPlan.Kind, plan.Retention, null, upcoming: DateTimeOffset.UtcNow);
        return outcome.Deleted.Select(name => $"delete backup set {name} (retention: {plan.Retention})");
    }
}

using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Backups;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>
/// The seed's generations: keeps the newest <c>MaxNumberOfBackupFiles</c> (the profile's backups.retention) complete
/// PostgreSQL sets and deletes older ones; never the set just written, another kind's, or an unreadable one.
/// </summary>
[TaskName("PostgresRetention")]
[TaskDescription("Keeps the newest backups.retention PostgreSQL sets (the seed's MaxNumberOfBackupFiles), deletes older ones")]
public sealed class PostgresRetentionTask : FrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override void Run(RunbookContext context)
    {
        var plan = context.Plan<PostgresBackupPlan>();
        if (!context.Facts.TryGet(KamonohashiFacts.BackupSet, out var written)) return; // skipped: nothing new, nothing to prune
        var outcome = BackupRetention.Apply(new BackupStore(plan.BackupFolder), PostgresBackupPlan.Kind, new Backups.RetentionPolicy(plan.Keep), written);
        foreach (var deleted in outcome.Deleted) context.Log.Information("{0}", $"Retention: deleted {deleted}.");
        foreach (var unreadable in outcome.Unreadable) context.Log.Warning("{0}", $"Retention: left {unreadable} alone (its manifest cannot be read).");
        context.Log.Information("{0}", $"Retention keeps {plan.Keep}: {string.Join(", ", outcome.Kept)}.");
        context.Journal.RecordFact("kept", string.Join(", ", outcome.Kept));
        context.Journal.RecordFact("deleted", string.Join(", ", outcome.Deleted));
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ((RunbookContext)context).Plan<PostgresBackupPlan>();
        if (!plan.Runs) return [];
        var complete = new BackupStore(plan.BackupFolder).List().Where(s => s.IsComplete && s.Manifest!.Kind == PostgresBackupPlan.Kind).ToList();
        // The new set becomes the newest: Keep - 1 of the existing ones stay.
        return complete.Skip(Math.Max(plan.Keep - 1, 0)).Select(s => $"delete backup set {s.Name} (retention {plan.Keep})");
    }
}

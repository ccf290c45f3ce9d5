using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Backups;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.ThreeScale;

/// <summary>
/// Keeps the newest <c>backups.retention</c> complete 3scale sets and deletes older ones, after a new set was written;
/// never the set just written, another kind's, or one whose manifest cannot be read.
/// </summary>
[TaskName("ThreeScaleRetention")]
[TaskDescription("Keeps the newest backups.retention 3scale sets, deletes older ones")]
public sealed class ThreeScaleRetentionTask : FrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override void Run(RunbookContext context)
    {
        var plan = ThreeScaleBackupPlan.Of(context);
        if (!context.Facts.TryGet(ThreeScaleFacts.BackupSet, out var written)) return; // skipped: nothing new, nothing to prune
        var outcome = BackupRetention.Apply(new BackupStore(plan.BackupFolder), ThreeScaleInstall.BackupKind, new RetentionPolicy(plan.Keep), written);
        foreach (var deleted in outcome.Deleted) context.Log.Information("{0}", $"Retention: deleted {deleted}.");
        foreach (var unreadable in outcome.Unreadable) context.Log.Warning("{0}", $"Retention: left {unreadable} alone (its manifest cannot be read).");
        context.Log.Information("{0}", $"Retention keeps {plan.Keep}: {string.Join(", ", outcome.Kept)}.");
        context.Journal.RecordFact("kept", string.Join(", ", outcome.Kept));
        context.Journal.RecordFact("deleted", string.Join(", ", outcome.Deleted));
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ThreeScaleBackupPlan.Of((RunbookContext)context);
        if (!plan.Runs) return [];
        var complete = new BackupStore(plan.BackupFolder).List().Where(s => s.IsComplete && s.Manifest!.Kind == ThreeScaleInstall.BackupKind).ToList();
        // The new set becomes the newest: Keep - 1 of the existing ones stay.
        return complete.Skip(Math.Max(plan.Keep - 1, 0)).Select(s => $"delete backup set {s.Name} (retention {plan.Keep})");
    }
}

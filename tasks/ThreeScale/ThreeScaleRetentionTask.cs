using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Backups;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.ThreeScale;

/// <summary>
/// Keeps the newest <c>backups.retention</c> complete 3scale sets (and the keepDaily / keepWeekly / keepMonthly
/// generations) and deletes older ones, after a new set was written;
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
        var outcome = BackupRetention.Apply(new BackupStore(plan.BackupFolder), ThreeScaleInstall.BackupKind, RetentionPolicy.From(context.Profile.Backups), written);
        foreach (var line in outcome.Lines()) context.Log.Information("{0}", line);
        context.Journal.RecordFact("kept", string.Join("; ", outcome.Kept));
        context.Journal.RecordFact("deleted", string.Join(", ", outcome.Deleted));
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ThreeScaleBackupPlan.Of((RunbookContext)context);
        if (!plan.Runs) return [];
        // The new set counts as the newest, started now.
        var policy = RetentionPolicy.From(((RunbookContext)context).Profile.Backups);
        var outcome = BackupRetention.Decide(new BackupStore(plan.BackupFolder).List(), ThreeScaleInstall.BackupKind, policy, null, upcoming: DateTimeOffset.UtcNow);
        return outcome.Deleted.Select(name => $"delete backup set {name} (retention: {policy})");
    }
}

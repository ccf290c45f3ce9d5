using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>RollbackMinor: back to the version before a minor upgrade with its backup restored; runs beside an unfinished upgrade and uses up the rollback records.</summary>
public sealed record RollbackMinorPlan : VantiqPlan
{
    /// <inheritdoc />
    public override bool StopsVantiq => true;

    /// <inheritdoc />
    public override bool UsesUpRollbackRecords => true;

    /// <summary>Decides the version and the backup to return to (recorded, or <c>--to</c> / <c>--backup</c>) and checks the backup.</summary>
    public static async Task<RollbackMinorPlan> BuildAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        var (install, ledger) = await ReadAsync(context, VantiqTargets.RollbackMinor, mayReplace: true, cancellationToken).ConfigureAwait(false);
        var plan = For(install, ledger, context.Argument("to"), context.Argument("backup"));
        await install.RequireBackupAsync(context.Kubernetes, plan.RestoreBackupId!, cancellationToken).ConfigureAwait(false);
        return plan;
    }

    /// <summary>
    /// The plan for an install as read (in memory): the version is <paramref name="to"/>, else the recorded image's (a
    /// resumed rollback's, an unfinished upgrade's, or the last upgrade's), not later than the running one; the backup is
    /// <paramref name="backup"/>, else the recorded one.
    /// </summary>
    /// <exception cref="InvalidInputException">No version or no backup is known, or the version is later than the running one.</exception>
    public static RollbackMinorPlan For(VantiqInstall install, LedgerDecision ledger, string? to, string? backup)
    {
        ArgumentNullException.ThrowIfNull(install);
        ArgumentNullException.ThrowIfNull(ledger);
        var (back, backupOfRecord) = RollbackSource(install, ledger, withRecordedBackup: true);
        var version = RollbackVersion(to, install.Server, back);
        if (version > install.CurrentVersion) throw new InvalidInputException($"{version} is not earlier than the running {install.CurrentVersion}: use --target={VantiqTargets.UpgradeMinor}.");
        var backupId = backup ?? backupOfRecord
            ?? throw new InvalidInputException($"No backup is recorded on {install.Server} (annotation {AnnotationStore.BackupId}): pass --backup=ID (a completed {install.Settings.BackupCronJob} Job).");
        return new RollbackMinorPlan
        {
            Install = install, Target = VantiqTargets.RollbackMinor, Ledger = ledger,
            From = install.CurrentVersion, To = version, FromImage = install.CurrentImage, RestoreBackupId = backupId,
        };
    }
}

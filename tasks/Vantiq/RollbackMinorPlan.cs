using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Runbooks;

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
        var (back, backupOfRecord) = RollbackSource(install, ledger, withRecordedBackup: true);
        var to = RollbackVersion(context, install.Server, back);
        if (to > install.CurrentVersion) throw new InvalidInputException($"{to} is not earlier than the running {install.CurrentVersion}: use --target={VantiqTargets.UpgradeMinor}.");
        var backupId = context.Argument("backup") ?? backupOfRecord
            ?? throw new InvalidInputException($"No backup is recorded on {install.Server} (annotation {AnnotationStore.BackupId}): pass --backup=ID (a completed {install.Settings.BackupCronJob} Job).");
        await install.RequireBackupAsync(context.Kubernetes, backupId, cancellationToken).ConfigureAwait(false);
        return new RollbackMinorPlan
        {
            Install = install, Target = VantiqTargets.RollbackMinor, Ledger = ledger,
            From = install.CurrentVersion, To = to, FromImage = install.CurrentImage, RestoreBackupId = backupId,
        };
    }
}

using KubeRunbooks.Errors;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>MongoRestore: a completed backup restored with Vantiq stopped.</summary>
public sealed record MongoRestorePlan : VantiqPlan
{
    /// <inheritdoc />
    public override bool StopsVantiq => true;

    /// <inheritdoc />
    public override string RerunCommand => RunbookCommand.Text(Target, Cluster, ("backup", RestoreBackupId));

    /// <summary>Checks <c>--backup</c>: a completed Job of the backup CronJob.</summary>
    public static async Task<MongoRestorePlan> BuildAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        var (install, ledger) = await ReadAsync(context, VantiqTargets.MongoRestore, mayReplace: false, cancellationToken).ConfigureAwait(false);
        var plan = For(install, ledger, context.Argument("backup"));
        await install.RequireBackupAsync(context.Kubernetes, plan.RestoreBackupId!, cancellationToken).ConfigureAwait(false);
        return plan;
    }

    /// <summary>The plan for an install as read (in memory): <paramref name="backup"/> is required.</summary>
    /// <exception cref="InvalidInputException"><paramref name="backup"/> is missing.</exception>
    public static MongoRestorePlan For(VantiqInstall install, LedgerDecision ledger, string? backup)
    {
        ArgumentNullException.ThrowIfNull(install);
        ArgumentNullException.ThrowIfNull(ledger);
        var backupId = backup
            ?? throw new InvalidInputException($"--backup=ID is required: the name of a completed {install.Settings.BackupCronJob} Job (see kubectl get jobs -n {install.Settings.Namespace}).");
        return new MongoRestorePlan
        {
            Install = install, Target = VantiqTargets.MongoRestore, Ledger = ledger,
            From = install.CurrentVersion, FromImage = install.CurrentImage, RestoreBackupId = backupId,
        };
    }
}

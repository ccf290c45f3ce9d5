using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>MongoBackup: a backup Job without downtime (for schedules); it changes no workload, so it records no operation.</summary>
public sealed record MongoBackupPlan : VantiqPlan
{
    /// <inheritdoc />
    public override bool RecordsOperation => false;

    /// <summary>Checks the backup CronJob.</summary>
    public static async Task<MongoBackupPlan> BuildAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        var (install, ledger) = await ReadAsync(context, VantiqTargets.MongoBackup, mayReplace: false, cancellationToken).ConfigureAwait(false);
        await install.RequireCronJobAsync(context.Kubernetes, cancellationToken).ConfigureAwait(false);
        return new MongoBackupPlan { Install = install, Target = VantiqTargets.MongoBackup, Ledger = ledger, From = install.CurrentVersion, FromImage = install.CurrentImage };
    }
}

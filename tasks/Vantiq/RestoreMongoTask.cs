using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Jobs;
using KubeRunbooks.Kubernetes.Logging;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>
/// Restores a MongoDB backup through a Job built from the <c>mongobackup</c> template (same image, volumes,
/// environment and credentials) running the profile's restore command with <c>BACKUP_ID</c> set; the Job is recorded
/// in the operation before it is created, so a rerun follows it instead of restoring twice.
/// </summary>
[TaskName("RestoreMongo")]
[TaskDescription("MongoDB restore: a Job from the mongobackup template running vantiq.restoreCommand with BACKUP_ID")]
public sealed class RestoreMongoTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <summary>The variable the restore command reads the backup id from.</summary>
    public const string BackupIdVariable = "BACKUP_ID";

    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new VantiqKit(context);
        var plan = kit.Plan;
        var ns = plan.Settings.Namespace;
        var backupId = plan.RestoreBackupId!;
        var record = await kit.Ledger.ReadAsync(kit.Token);
        // The restore this operation started, for this backup, is followed (or found complete), not run twice.
        var earlier = record?.TakenOf(VantiqLedgerKeys.Backup) == backupId ? record?.TakenOf(VantiqLedgerKeys.RestoreJob) : null;
        context.Log.Information($"Restoring MongoDB from backup {backupId}.");
        string restoreJob;
        try
        {
            var (result, _) = await kit.JobOnce.RunAsync(ns, earlier, JobTemplates.JobName(plan.Settings.BackupCronJob, DateTimeOffset.UtcNow, "restore"),
                async name => JobTemplates.WithEnv(
                    JobTemplates.FromCronJobWithCommand(await kit.Jobs.ReadCronJobAsync(ns, plan.Settings.BackupCronJob, kit.Token), name, ["sh", "-c", plan.Settings.RestoreCommand]),
                    BackupIdVariable, backupId),
                record is null ? null : name => kit.Ledger.UpdateAsync(r => r.WithTaken(VantiqLedgerKeys.RestoreJob, name).WithTaken(VantiqLedgerKeys.Backup, backupId), kit.Token),
                LineSinks.Prefixed(kit.Log, "restore | "), context.Profile.Timeouts.Job, kit.Token,
                reused => context.Log.Information($"The restore {reused} of this operation already exists: following it."));
            restoreJob = result.JobName;
        }
        catch (JobFailedException failed)
        {
            foreach (var line in failed.Tail) context.Log.Error($"restore | {line}");
            throw new StepFailedException($"The MongoDB restore from {backupId} failed ({failed.Message.TrimEnd('.')}); Vantiq stays stopped. Fix the restore, then run {plan.Target} again: {RunbookCommand.Text(plan.Target, plan.Cluster, ("backup", backupId))}", failed);
        }
        context.Facts.Record(VantiqFacts.RestoredBackup, backupId);
        context.Facts.Record(VantiqFacts.RestoreJob, restoreJob);
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ((RunbookContext)context).Plan<VantiqPlan>();
        yield return $"create job {plan.Settings.Namespace}/{JobTemplates.JobName(plan.Settings.BackupCronJob, DateTimeOffset.UtcNow, "restore")} from the {plan.Settings.BackupCronJob} template running '{plan.Settings.RestoreCommand}' with {BackupIdVariable}={plan.RestoreBackupId}, wait for Complete";
    }
}

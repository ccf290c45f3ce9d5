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
/// environment and credentials) running the profile's restore command with <c>BACKUP_ID</c> set.
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
        var record = await kit.ReadRecordAsync();
        var sink = LineSinks.Prefixed(kit.Log, "restore | ");
        try
        {
            if (record?.RestoreJob is { } earlier && record.BackupId == backupId && await kit.Jobs.ExistsAsync(ns, earlier, kit.Token))
            {
                // A resumed run: the restore this operation started is followed (or found complete), not run twice.
                context.Log.Information($"The restore {earlier} of this operation already exists: following it.");
                await kit.Jobs.FollowAsync(ns, earlier, sink, context.Profile.Timeouts.Job, kit.Token);
                kit.Outcome.RestoreJob = earlier;
            }
            else
            {
                var cronJob = await kit.Jobs.ReadCronJobAsync(ns, plan.Settings.BackupCronJob, kit.Token);
                var name = JobTemplates.JobName(plan.Settings.BackupCronJob, DateTimeOffset.UtcNow, "restore");
                var job = JobTemplates.WithEnv(JobTemplates.FromCronJobWithCommand(cronJob, name, ["sh", "-c", plan.Settings.RestoreCommand]), BackupIdVariable, backupId);
                if (record is not null) await kit.UpdateRecordAsync(r => r with { RestoreJob = name, BackupId = backupId });
                context.Log.Information($"Restoring MongoDB from backup {backupId}.");
                await kit.Jobs.RunAsync(job, sink, context.Profile.Timeouts.Job, kit.Token);
                kit.Outcome.RestoreJob = name;
            }
        }
        catch (JobFailedException failed)
        {
            foreach (var line in failed.Tail) context.Log.Error($"restore | {line}");
            throw new StepFailedException($"The MongoDB restore from {backupId} failed ({failed.Message.TrimEnd('.')}); Vantiq stays stopped. Fix the restore, then run {plan.Target} again: ./build.sh --target={plan.Target} --cluster={plan.Cluster} --backup={backupId}", failed);
        }
        context.Journal.RecordFact("restoredBackup", backupId);
        context.Journal.RecordFact("restoreJob", kit.Outcome.RestoreJob!);
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = VantiqPlan.Of((RunbookContext)context);
        yield return $"create job {plan.Settings.Namespace}/{JobTemplates.JobName(plan.Settings.BackupCronJob, DateTimeOffset.UtcNow, "restore")} from the {plan.Settings.BackupCronJob} template running '{plan.Settings.RestoreCommand}' with {BackupIdVariable}={plan.RestoreBackupId}, wait for Complete";
    }
}

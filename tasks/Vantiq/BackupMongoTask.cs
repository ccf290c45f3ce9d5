using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Kubernetes.Jobs;
using KubeRunbooks.Kubernetes.Logging;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Downtime;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>
/// Takes the MongoDB backup as the seed does (<c>kubectl create job --from=cronjob/mongobackup</c>), follows its
/// log and waits for Complete. When the backup belongs to the operation (an upgrade), the Job's name is recorded
/// before it is created, so a rerun follows or reuses it instead of taking a second backup, and a failed backup
/// brings the workloads back and ends the run before anything is deployed.
/// </summary>
[TaskName("BackupMongo")]
[TaskDescription("MongoDB backup: a Job from CronJob mongobackup, its log followed, Complete awaited")]
public sealed class BackupMongoTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new VantiqKit(context);
        var plan = kit.Plan;
        var ns = plan.Settings.Namespace;
        var cronJob = plan.Settings.BackupCronJob;
        var owned = plan.BackupBelongsToOperation;
        var taken = owned ? (await kit.Ledger.ReadAsync(kit.Token))?.TakenOf(VantiqLedgerKeys.Backup) : null;
        Task<(JobResult Result, bool Reused)> Backup() => kit.JobOnce.RunAsync(ns, taken,
            taken ?? JobTemplates.JobName(cronJob, DateTimeOffset.UtcNow, plan.BackupJobSuffix),
            async name => JobTemplates.FromCronJob(await kit.Jobs.ReadCronJobAsync(ns, cronJob, kit.Token), name),
            owned ? name => kit.Ledger.TakeAsync(VantiqLedgerKeys.Backup, name, kit.Token) : null,
            LineSinks.Prefixed(kit.Log, $"{cronJob} | "), context.Profile.Timeouts.Job, kit.Token,
            reused => context.Log.Information($"The backup {reused} of this upgrade already exists: following it, not taking a second one."));

        var (result, _) = owned
            ? await kit.Downtime.BringBackOnFailureAsync<(JobResult, bool), JobFailedException>(Backup,
                failed =>
                {
                    foreach (var line in failed.Tail) context.Log.Error($"{cronJob} | {line}");
                    context.Log.Error($"{failed.Message} Bringing the workloads back: nothing was deployed.");
                },
                (failed, restored) => new StepFailedException($"The MongoDB backup failed ({failed.Message.TrimEnd('.')}); nothing was deployed, {plan.Server} still runs {plan.From} and the workloads are back at {DowntimeWindow.Describe(restored)}. Fix the backup, then run {plan.Target} again.", failed),
                kit.Token)
            : await Backup();

        if (owned) await kit.Notes.WriteAsync(plan.Server, AnnotationStore.BackupId, result.JobName, kit.Token);
        context.Log.Information($"MongoDB backup complete: {result.JobName}.");
        context.Facts.Record(VantiqFacts.BackupId, result.JobName);
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ((RunbookContext)context).Plan<VantiqPlan>();
        if (plan.Resumed?.TakenOf(VantiqLedgerKeys.Backup) is { } taken)
        {
            yield return $"follow the backup job {plan.Settings.Namespace}/{taken} this upgrade already created (no second backup)";
            yield break;
        }
        yield return $"create job {plan.Settings.Namespace}/{JobTemplates.JobName(plan.Settings.BackupCronJob, DateTimeOffset.UtcNow, plan.BackupJobSuffix)} from cronjob {plan.Settings.BackupCronJob}, follow its log, wait for Complete";
        if (plan.BackupBelongsToOperation)
            yield return $"annotate {plan.Server} {AnnotationStore.BackupId}=<that job>";
    }
}

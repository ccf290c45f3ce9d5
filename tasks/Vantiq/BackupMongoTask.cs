using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using k8s;
using k8s.Autorest;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Kubernetes.Jobs;
using KubeRunbooks.Kubernetes.Logging;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>
/// Takes the MongoDB backup as the seed does (<c>kubectl create job --from=cronjob/mongobackup</c>), follows its
/// log and waits for Complete. In an upgrade the Job's name is recorded before it is created, so a rerun follows
/// or reuses it instead of taking a second backup; a failed backup brings the workloads back and ends the run
/// before anything is deployed.
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
        var inUpgrade = plan.Target == VantiqTargets.UpgradeMinor;
        var sink = LineSinks.Prefixed(kit.Log, $"{plan.Settings.BackupCronJob} | ");
        var record = inUpgrade ? await kit.ReadRecordAsync() : null;
        JobResult result;
        try
        {
            if (record?.BackupId is { } taken && await kit.Jobs.ExistsAsync(ns, taken, kit.Token))
            {
                context.Log.Information($"The backup {taken} of this upgrade already exists: following it, not taking a second one.");
                result = await kit.Jobs.FollowAsync(ns, taken, sink, context.Profile.Timeouts.Job, kit.Token);
            }
            else
            {
                var cronJob = await kit.Jobs.ReadCronJobAsync(ns, plan.Settings.BackupCronJob, kit.Token);
                var name = record?.BackupId ?? JobTemplates.JobName(plan.Settings.BackupCronJob, DateTimeOffset.UtcNow, inUpgrade ? "upgrade" : "manual");
                if (inUpgrade) await kit.UpdateRecordAsync(r => r with { BackupId = name });
                result = await kit.Jobs.RunAsync(JobTemplates.FromCronJob(cronJob, name), sink, context.Profile.Timeouts.Job, kit.Token);
            }
        }
        catch (JobFailedException failed) when (inUpgrade)
        {
            foreach (var line in failed.Tail) context.Log.Error($"{plan.Settings.BackupCronJob} | {line}");
            context.Log.Error($"{failed.Message} Bringing the workloads back: nothing was deployed.");
            var restored = await kit.Group.RestoreAsync(plan.All, plan.ProfileReplicas, context.Profile.Timeouts.PodReady, kit.Token);
            await kit.Notes.WriteOperationAsync(plan.Server, null, kit.Token);
            throw new StepFailedException($"The MongoDB backup failed ({failed.Message.TrimEnd('.')}); nothing was deployed, {plan.Server} still runs {plan.From} and the workloads are back at {VantiqKit.Describe(restored)}. Fix the backup, then run {plan.Target} again.", failed);
        }

        kit.Outcome.BackupId = result.JobName;
        if (inUpgrade) await kit.Notes.WriteAsync(plan.Server, AnnotationStore.BackupId, result.JobName, kit.Token);
        context.Log.Information($"MongoDB backup complete: {result.JobName}.");
        context.Journal.RecordFact("backupId", result.JobName);
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = VantiqPlan.Of((RunbookContext)context);
        if (plan.Resumed?.BackupId is { } taken)
        {
            yield return $"follow the backup job {plan.Settings.Namespace}/{taken} this upgrade already created (no second backup)";
            yield break;
        }
        yield return $"create job {plan.Settings.Namespace}/{JobTemplates.JobName(plan.Settings.BackupCronJob, DateTimeOffset.UtcNow, plan.Target == VantiqTargets.UpgradeMinor ? "upgrade" : "manual")} from cronjob {plan.Settings.BackupCronJob}, follow its log, wait for Complete";
        if (plan.Target == VantiqTargets.UpgradeMinor)
            yield return $"annotate {plan.Server} {AnnotationStore.BackupId}=<that job>";
    }
}

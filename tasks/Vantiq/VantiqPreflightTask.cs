using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>
/// Validates everything before the first change: the cluster answers, the workloads and the backup CronJob exist,
/// the running version is read from the image tag and the version asked for is the right kind of change.
/// </summary>
[TaskName("VantiqPreflight")]
[TaskDescription("Checks the cluster, the Vantiq workloads, the running version and the arguments; changes nothing")]
public sealed class VantiqPreflightTask : FrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override void Run(RunbookContext context)
    {
        var plan = context.Plan<VantiqPlan>();
        RequireDeployFolder(plan);
        context.Log.Information($"{plan.Target} on cluster '{plan.Cluster}': {plan.Server} runs {plan.Install.CurrentImage}.");
        if (plan.To is { } to) context.Log.Information($"Version: {plan.From} -> {to}.");
        if (plan.Resumed is { } resumed) context.Log.Information($"Resuming the unfinished {resumed.Describe()}.");
        foreach (var absent in plan.Install.AbsentOptional) context.Log.Information($"Optional statefulset {plan.Settings.Namespace}/{absent} is not installed: skipped.");
        context.Facts.Record(VantiqFacts.VersionBefore, plan.From.ToString());
        if (plan.To is { } target) context.Facts.Record(VantiqFacts.VersionTarget, target.ToString());
        if (plan.Resumed is { } r) context.Facts.Record(VantiqFacts.Resumed, r.Describe());
        if (plan.RestoreBackupId is { } backup) context.Facts.Record(VantiqFacts.BackupToRestore, backup);
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        // Validation runs under --dryrun too: a dry run with bad input fails as the real run would.
        RequireDeployFolder(((RunbookContext)context).Plan<VantiqPlan>());
        return [];
    }

    private static void RequireDeployFolder(VantiqPlan plan)
    {
        if (plan.Settings.Deploy.Command is not null && plan.Settings.Deploy.WorkingDirectory is { } folder && !Directory.Exists(folder))
            throw new InvalidInputException($"vantiq.deploy.workingDirectory {folder} does not exist.");
    }
}

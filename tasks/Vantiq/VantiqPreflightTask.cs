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
        var plan = VantiqPlan.Of(context);
        RequireDeployFolder(plan);
        context.Log.Information($"{plan.Target} on cluster '{plan.Cluster}': {plan.Server} runs {plan.CurrentImage}.");
        if (plan.To is { } to) context.Log.Information($"Version: {plan.From} -> {to}.");
        if (plan.Resumed is { } resumed) context.Log.Information($"Resuming the unfinished {resumed.Describe()}.");
        foreach (var absent in plan.AbsentOptional) context.Log.Information($"Optional statefulset {plan.Settings.Namespace}/{absent} is not installed: skipped.");
        context.Journal.RecordFact("versionBefore", plan.From.ToString());
        if (plan.To is { } target) context.Journal.RecordFact("versionTarget", target.ToString());
        if (plan.Resumed is { } r) context.Journal.RecordFact("resumed", r.Describe());
        if (plan.RestoreBackupId is { } backup) context.Journal.RecordFact("backupToRestore", backup);
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        // Validation runs under --dryrun too: a dry run with bad input fails as the real run would.
        RequireDeployFolder(VantiqPlan.Of((RunbookContext)context));
        return [];
    }

    private static void RequireDeployFolder(VantiqPlan plan)
    {
        if (plan.Settings.Deploy.Command is not null && plan.Settings.Deploy.WorkingDirectory is { } folder && !Directory.Exists(folder))
            throw new InvalidInputException($"vantiq.deploy.workingDirectory {folder} does not exist.");
    }
}

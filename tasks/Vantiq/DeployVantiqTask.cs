using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Deploy;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Kubernetes.Logging;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>
/// Deploys the plan's version: by default sets the image tag of every Vantiq container (init containers too) in
/// one patch per workload; with <c>vantiq.deploy.command</c> runs that command instead (Cake's process runner).
/// The image it replaces is recorded first, for the rollback. A workload already at the version is left alone
/// (a resumed run).
/// </summary>
[TaskName("DeployVantiq")]
[TaskDescription("Deploys the version: image tag patch, or the profile's deploy command (e.g. ./gradlew deployVantiq)")]
public sealed class DeployVantiqTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new VantiqKit(context);
        var plan = kit.Plan;
        var version = plan.To!.Value.ToString();
        var running = await kit.Workloads.GetContainerImageAsync(plan.Server, plan.ServerContainer, kit.Token);
        kit.Outcome.VersionAfter = version;
        context.Journal.RecordFact("versionAfter", version);
        // A resumed run: a deploy command that did its job is not run again; the built-in patch skips what is done.
        if (running.Tag == version && plan.Settings.Deploy.Command is not null)
        {
            context.Log.Information($"{plan.Server} already runs {running}: nothing to deploy.");
            return;
        }

        if (plan.Target is VantiqTargets.UpgradePatch or VantiqTargets.RollbackPatch && plan.Resumed is null)
        {
            await kit.Notes.WriteOperationAsync(plan.Server, new OperationRecord
            {
                Target = plan.Target, From = plan.From.ToString(), To = version, FromImage = plan.FromImage.ToString(),
                Run = context.RunId, StartedAt = DateTimeOffset.UtcNow,
            }, kit.Token);
        }
        if (plan.Target is VantiqTargets.UpgradeMinor or VantiqTargets.UpgradePatch)
            await kit.Notes.WriteAsync(plan.Server, AnnotationStore.PreviousImage, plan.FromImage.ToString(), kit.Token);

        if (plan.Settings.Deploy.Command is { } command)
        {
            var deploy = new DeployCommand(command, plan.Settings.Deploy.WorkingDirectory);
            context.Log.Information($"Running the deploy command: {deploy.For(version)}");
            try
            {
                deploy.Run(context, version, plan.Cluster, context.Profile.Timeouts.Deploy, LineSinks.Prefixed(kit.Log, "deploy | "));
            }
            catch (DeployFailedException e)
            {
                var state = plan.StopsVantiq ? "Vantiq stays stopped" : $"{plan.Server} may be partly updated";
                throw new StepFailedException($"{e.Message} {state}; fix the command, then run ./build.sh --target={plan.Target} --cluster={plan.Cluster}{(plan.To is { } t && plan.Target.StartsWith("Upgrade", StringComparison.Ordinal) ? $" --to={t}" : "")} again to resume.", e);
            }
            var after = await kit.Workloads.GetContainerImageAsync(plan.Server, plan.ServerContainer, kit.Token);
            if (after.Tag != version)
                throw new StepFailedException($"The deploy command finished but {plan.Server} runs {after}, not {version}: check the command and vantiq.imageRepository.");
        }
        else
        {
            var changed = 0;
            foreach (var workload in plan.All)
                changed += (await kit.Workloads.SetRepositoryTagAsync(workload, running.Repository, version, kit.Token)).Count;
            if (changed == 0)
            {
                context.Log.Information($"{plan.Server} already runs {running}: nothing to deploy.");
                return;
            }
        }
        context.Log.Information($"Deployed {running.Repository}:{version} (was {plan.FromImage.Tag}).");
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = VantiqPlan.Of((RunbookContext)context);
        var version = plan.To!.Value.ToString();
        if (plan.CurrentImage.Tag == version)
        {
            yield return $"nothing: {plan.Server} already runs {plan.CurrentImage}";
            yield break;
        }
        if (plan.Target is VantiqTargets.UpgradeMinor or VantiqTargets.UpgradePatch)
            yield return $"annotate {plan.Server} {AnnotationStore.PreviousImage}={plan.FromImage}";
        if (plan.Settings.Deploy.Command is { } command)
            yield return $"run '{new DeployCommand(command, plan.Settings.Deploy.WorkingDirectory).For(version)}' ({DeployCommand.VersionVariable}={version})";
        else
            foreach (var workload in plan.All)
                yield return $"set image of {workload}: every {plan.CurrentImage.Repository} container to tag {version}";
    }

    private static string ContainerOf(VantiqPlan plan) => plan.Settings.Server.Name;
}

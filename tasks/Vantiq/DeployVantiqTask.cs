using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Deploy;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Kubernetes.Logging;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>
/// Deploys the plan's version: by default sets the image tag of every Vantiq container (init containers too) in
/// one patch per workload; with <c>vantiq.deploy.command</c> runs that command instead (Cake's process runner).
/// The image it replaces is recorded first when the plan keeps it for a rollback. A workload already at the version
/// is left alone (a resumed run).
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
        var running = await kit.Workloads.GetContainerImageAsync(plan.Server, plan.Install.ServerContainer, kit.Token);
        context.Facts.Record(VantiqFacts.VersionAfter, version);
        // A resumed run: a deploy command that did its job is not run again; the built-in patch skips what is done.
        if (running.Tag == version && plan.Settings.Deploy.Command is not null)
        {
            context.Log.Information($"{plan.Server} already runs {running}: nothing to deploy.");
            return;
        }

        if (plan.RecordsPreviousImage)
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
                throw new StepFailedException($"{e.Message} {state}; fix the command, then run {plan.RerunCommand} again to resume.", e);
            }
            var after = await kit.Workloads.GetContainerImageAsync(plan.Server, plan.Install.ServerContainer, kit.Token);
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
        var plan = ((RunbookContext)context).Plan<VantiqPlan>();
        var version = plan.To!.Value.ToString();
        var current = plan.Install.CurrentImage;
        if (current.Tag == version)
        {
            yield return $"nothing: {plan.Server} already runs {current}";
            yield break;
        }
        if (plan.RecordsPreviousImage)
            yield return $"annotate {plan.Server} {AnnotationStore.PreviousImage}={plan.FromImage}";
        if (plan.Settings.Deploy.Command is { } command)
            yield return $"run '{new DeployCommand(command, plan.Settings.Deploy.WorkingDirectory).For(version)}' ({DeployCommand.VersionVariable}={version})";
        else
            foreach (var workload in plan.All)
                yield return $"set image of {workload}: every {current.Repository} container to tag {version}";
    }
}

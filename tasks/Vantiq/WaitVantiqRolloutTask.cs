using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>
/// Waits by watch for the rolling update of every Vantiq workload to finish by kubectl's rule (every replica
/// updated and ready, updateRevision = currentRevision), then removes the operation record.
/// </summary>
[TaskName("WaitVantiqRollout")]
[TaskDescription("Waits until the rolling update is complete on every pod (kubectl rollout status's rule)")]
public sealed class WaitVantiqRolloutTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new VantiqKit(context);
        var plan = kit.Plan;
        foreach (var workload in plan.All)
            await kit.Workloads.WaitForRolloutAsync(workload, context.Profile.Timeouts.Rollout, kit.Token);
        await kit.Ledger.FinishAsync(kit.Token);
        if (plan.UsesUpPreviousImage)
            await kit.Notes.WriteAsync(plan.Server, AnnotationStore.PreviousImage, null, kit.Token);
        context.Log.Information($"Rollout complete: every pod of {string.Join(", ", plan.All.Select(w => w.Name))} runs {plan.To}.");
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ((RunbookContext)context).Plan<VantiqPlan>();
        yield return $"remove {AnnotationStore.Operation} from {plan.Server} once every pod runs {plan.To}";
    }
}

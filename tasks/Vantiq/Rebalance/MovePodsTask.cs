using System.Text.Json.Nodes;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using k8s.Models;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Kubernetes.Nodes;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Vantiq.Rebalance;

/// <summary>
/// The seed's sequence: taint every node NoSchedule, untaint the target node, scale the workload to 1, then to its
/// normal count, untaint every node. The rebalance is recorded on the workload and the taint key on the nodes is its
/// own record: a rerun after a kill removes leftover taints first, and the taints are removed also when a step fails.
/// </summary>
[TaskName("MovePods")]
[TaskDescription("Taints all nodes but the target, scales the workload to 1 then back, untaints all (also on failure)")]
public sealed class MovePodsTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var plan = RebalancePlan.Of(context);
        var log = Kubernetes.Logging.LineSinks.ToCakeLog(context.Log);
        var taints = new NodeTaints(context.Kubernetes, log);
        var workloads = new WorkloadOperations(context.Kubernetes, log);
        var notes = new AnnotationStore(workloads, log);
        var token = context.LockLost;
        foreach (var node in plan.Leftover) await taints.RemoveAsync(node, RebalancePlan.TaintKey, "NoSchedule", token);
        var record = new JsonObject { ["node"] = plan.Node, ["replicas"] = plan.Replicas, ["run"] = context.RunId }.ToJsonString();
        await notes.WriteAsync(plan.Workload, RebalancePlan.RecordAnnotation, record, token);
        var step = "taint the nodes";
        try
        {
            var taint = new V1Taint { Key = RebalancePlan.TaintKey, Value = "true", Effect = "NoSchedule" };
            foreach (var node in plan.Nodes) await taints.AddAsync(node, taint, token);
            await taints.RemoveAsync(plan.Node, RebalancePlan.TaintKey, "NoSchedule", token);
            step = $"scale {plan.Workload} to 1";
            await workloads.ScaleAndWaitAsync(plan.Workload, 1, context.Profile.Timeouts.PodReady, token);
            step = $"scale {plan.Workload} to {plan.Replicas}";
            await workloads.ScaleAndWaitAsync(plan.Workload, plan.Replicas, context.Profile.Timeouts.PodReady, token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await UntaintAsync(taints, plan);
            var state = await workloads.TryGetAsync(plan.Workload, CancellationToken.None);
            var left = $"RebalancePods stopped at \"{step}\": the {RebalancePlan.TaintKey} taint was removed from every node ({string.Join(", ", plan.Nodes)}); "
                + $"{plan.Workload} is left at {state?.Describe() ?? "an unknown state"} (its normal count is {plan.Replicas}); "
                + $"its annotation {RebalancePlan.RecordAnnotation} stays, so a rerun of RebalancePods scales it back to {plan.Replicas}.";
            context.Log.Error(left);
            context.Journal.RecordFact("rebalanceLeft", left);
            throw;
        }
        catch (OperationCanceledException)
        {
            await UntaintAsync(taints, plan);
            throw;
        }

        await UntaintAsync(taints, plan);
        await notes.WriteAsync(plan.Workload, RebalancePlan.RecordAnnotation, null, token);
        context.Journal.RecordFact("rebalanced", $"{plan.Workload} onto {plan.Node}, {plan.Replicas} replicas; no taint left");
    }

    // Untaint even after a failure: a node left NoSchedule would refuse every new pod of the cluster.
    private static async Task UntaintAsync(NodeTaints taints, RebalancePlan plan)
    {
        foreach (var node in plan.Nodes) await taints.RemoveAsync(node, RebalancePlan.TaintKey, "NoSchedule", CancellationToken.None);
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = RebalancePlan.Of((RunbookContext)context);
        foreach (var node in plan.Leftover) yield return $"untaint node {node} {RebalancePlan.TaintKey}:NoSchedule (left by an earlier run)";
        yield return $"annotate {plan.Workload} {RebalancePlan.RecordAnnotation} (node {plan.Node}, {plan.Replicas} replicas)";
        foreach (var node in plan.Nodes) yield return $"taint node {node} {RebalancePlan.TaintKey}=true:NoSchedule";
        yield return $"untaint node {plan.Node} {RebalancePlan.TaintKey}:NoSchedule";
        yield return $"scale {plan.Workload} to 1";
        yield return $"scale {plan.Workload} to {plan.Replicas}";
        foreach (var node in plan.Nodes) yield return $"untaint node {node} {RebalancePlan.TaintKey}:NoSchedule";
        yield return $"remove the annotation {RebalancePlan.RecordAnnotation} from {plan.Workload}";
    }
}

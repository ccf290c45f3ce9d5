using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using k8s.Models;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Kubernetes.Nodes;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;

namespace KubeRunbooks.Tasks.Vantiq.Rebalance;

/// <summary>
/// The seed's sequence: taint every node NoSchedule, untaint the target node, scale the workload to 1, then to its
/// normal count, untaint every node. The operation ledger (opened by the Lock step) holds the normal count and, before
/// the first taint, the nodes tainted; each milestone is marked. A step that fails still removes every taint and leaves
/// the record, so a rerun (also after a SIGKILL) removes leftover taints first and scales back to the recorded count.
/// </summary>
[TaskName("MovePods")]
[TaskDescription("Taints all nodes but the target, scales the workload to 1 then back, untaints all (also on failure); recorded in the operation ledger")]
public sealed class MovePodsTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <summary>Ledger mark: every node but the target is tainted.</summary>
    public const string TaintedMark = "tainted";

    /// <summary>Ledger mark: the workload runs 1 replica.</summary>
    public const string ScaledDownMark = "scaledDown";

    /// <summary>Ledger mark: the workload is back at its normal count.</summary>
    public const string ScaledUpMark = "scaledUp";

    /// <summary>Ledger mark: a failed run removed every taint (the record stays for the rerun).</summary>
    public const string UntaintedMark = "untainted";

    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var plan = RebalancePlan.Of(context);
        var log = Kubernetes.Logging.LineSinks.ToCakeLog(context.Log);
        var taints = new NodeTaints(context.Kubernetes, log);
        var workloads = new WorkloadOperations(context.Kubernetes, log);
        var notes = new AnnotationStore(workloads, log);
        var ledger = new OperationLedger(notes, plan.Anchor);
        var token = context.LockLost;
        foreach (var node in plan.Leftover) await taints.RemoveAsync(node, RebalancePlan.TaintKey, "NoSchedule", token);
        // The first release's record is now in the ledger (its normal count was read into the plan): migrated.
        if (plan.HasLegacyRecord) await notes.WriteAsync(plan.Workload, RebalancePlan.LegacyRecordAnnotation, null, token);
        var step = "taint the nodes";
        try
        {
            var tainted = plan.Nodes.Where(n => n != plan.Node).ToList();
            // Written before the first taint: a kill between the two leaves a record naming every taint it may have set.
            await ledger.TakeAsync(RebalancePlan.TaintsTaken, string.Join(",", tainted), token);
            var taint = new V1Taint { Key = RebalancePlan.TaintKey, Value = "true", Effect = "NoSchedule" };
            foreach (var node in plan.Nodes) await taints.AddAsync(node, taint, token);
            await taints.RemoveAsync(plan.Node, RebalancePlan.TaintKey, "NoSchedule", token);
            await ledger.MarkAsync(TaintedMark, DateTimeOffset.UtcNow, token);
            step = $"scale {plan.Workload} to 1";
            await workloads.ScaleAndWaitAsync(plan.Workload, 1, context.Profile.Timeouts.PodReady, token);
            await ledger.MarkAsync(ScaledDownMark, DateTimeOffset.UtcNow, token);
            step = $"scale {plan.Workload} to {plan.Replicas}";
            await workloads.ScaleAndWaitAsync(plan.Workload, plan.Replicas, context.Profile.Timeouts.PodReady, token);
            await ledger.MarkAsync(ScaledUpMark, DateTimeOffset.UtcNow, token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await UntaintAsync(taints, plan);
            var marked = await TryMarkUntaintedAsync(ledger);
            var state = await workloads.TryGetAsync(plan.Workload, CancellationToken.None);
            var left = $"RebalancePods stopped at \"{step}\": the {RebalancePlan.TaintKey} taint was removed from every node ({string.Join(", ", plan.Nodes)}); "
                + $"{plan.Workload} is left at {state?.Describe() ?? "an unknown state"} (its normal count is {plan.Replicas}); "
                + (marked
                    ? $"the operation record ({AnnotationStore.Operation} on {plan.Anchor}) stays, so a rerun of RebalancePods scales it back to {plan.Replicas}."
                    : $"the operation record on {plan.Anchor} could not be updated; a rerun of RebalancePods reads it and scales back to {plan.Replicas}.");
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
        await ledger.FinishAsync(token);
        context.Journal.RecordFact("rebalanced", $"{plan.Workload} onto {plan.Node}, {plan.Replicas} replicas; no taint left");
    }

    // Untaint even after a failure: a node left NoSchedule would refuse every new pod of the cluster.
    private static async Task UntaintAsync(NodeTaints taints, RebalancePlan plan)
    {
        foreach (var node in plan.Nodes) await taints.RemoveAsync(node, RebalancePlan.TaintKey, "NoSchedule", CancellationToken.None);
    }

    private static async Task<bool> TryMarkUntaintedAsync(OperationLedger ledger)
    {
        try
        {
            return await ledger.MarkAsync(UntaintedMark, DateTimeOffset.UtcNow, CancellationToken.None) is not null;
        }
        catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException or IOException)
        {
            return false; // the failure being reported matters more; the record itself still says what the rerun finishes
        }
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = RebalancePlan.Of((RunbookContext)context);
        foreach (var node in plan.Leftover) yield return $"untaint node {node} {RebalancePlan.TaintKey}:NoSchedule (left by an earlier run)";
        if (plan.HasLegacyRecord) yield return $"remove the first release's annotation {RebalancePlan.LegacyRecordAnnotation} from {plan.Workload} (now in the operation ledger)";
        yield return $"record in the operation ledger on {plan.Anchor}: the nodes tainted ({string.Join(", ", plan.Nodes.Where(n => n != plan.Node))})";
        foreach (var node in plan.Nodes) yield return $"taint node {node} {RebalancePlan.TaintKey}=true:NoSchedule";
        yield return $"untaint node {plan.Node} {RebalancePlan.TaintKey}:NoSchedule";
        yield return $"scale {plan.Workload} to 1";
        yield return $"scale {plan.Workload} to {plan.Replicas}";
        foreach (var node in plan.Nodes) yield return $"untaint node {node} {RebalancePlan.TaintKey}:NoSchedule";
        yield return $"remove the operation record from {plan.Anchor}";
    }
}

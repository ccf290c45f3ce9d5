using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Vantiq.Rebalance;

/// <summary>Checks the workload, the node and the cluster's nodes before anything changes.</summary>
[TaskName("ValidateRebalance")]
[TaskDescription("Checks the workload (--workload), the target node (--node) and the cluster's nodes; changes nothing")]
public sealed class ValidateRebalanceTask : FrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override void Run(RunbookContext context)
    {
        var plan = RebalancePlan.Of(context);
        context.Log.Information($"Rebalancing {plan.Workload} onto node {plan.Node} ({plan.Nodes.Count} nodes), back to {plan.Replicas} replicas.");
        if (plan.Unfinished is not null)
        {
            context.Log.Warning($"Found the record of an unfinished RebalancePods ({plan.Unfinished}) on {plan.Anchor}: finishing it, back to {plan.Replicas} replicas.");
        }
        if (plan.Leftover.Count > 0) context.Log.Warning($"Nodes still tainted by an earlier run: {string.Join(", ", plan.Leftover)} (removed first).");
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        RebalancePlan.Of((RunbookContext)context);
        return [];
    }
}

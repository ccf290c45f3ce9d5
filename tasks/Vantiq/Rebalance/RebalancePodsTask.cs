using Cake.Frosting;
using KubeRunbooks.Tasks.Common;

namespace KubeRunbooks.Tasks.Vantiq.Rebalance;

/// <summary>The seed's way of putting pods back on their intended nodes (first-build section).</summary>
[TaskName(RebalancePlan.TargetName)]
[TaskDescription("Pods onto a node --node=NAME [--workload=NAME]: taint all nodes, untaint the target, scale to 1 then back, untaint all")]
[IsDependentOn(typeof(ValidateRebalanceTask))]
[IsDependentOn(typeof(LockTask))]
[IsDependentOn(typeof(MovePodsTask))]
public sealed class RebalancePodsTask : FrostingTask
{
}

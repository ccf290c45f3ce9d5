using KubeRunbooks.Clusters;
using System.Text.Json;
using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Nodes;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Runbooks.Plans;

namespace KubeRunbooks.Tasks.Vantiq.Rebalance;

/// <summary>
/// What RebalancePods will do (the seed's taint / scale 1 / scale N / untaint sequence), decided before the first
/// change: the workload (<c>--workload</c>, default the Vantiq StatefulSet), the node its pods go to (<c>--node</c>, else
/// the first node of its <c>vantiq.nodePlacement</c> names), its normal replicas, the nodes to taint.
/// </summary>
public sealed record RebalancePlan : IRunbookPlan
{
    /// <summary>The taint key this runbook puts on the nodes; also its record on the cluster (a rerun removes it first).</summary>
    public const string TargetName = "RebalancePods";

    /// <summary>The taint key this runbook puts on the nodes; also its record on the cluster (a rerun removes it first).</summary>
    public const string TaintKey = "kuberunbooks.io/rebalance";

    /// <summary>The annotation on the workload recording the rebalance in progress (its normal replicas, the node).</summary>
    public const string RecordAnnotation = "kuberunbooks.io/rebalance";

    /// <summary>The workload.</summary>
    public required WorkloadRef Workload { get; init; }

    /// <summary>The node left untainted.</summary>
    public required string Node { get; init; }

    /// <summary>Every node of the cluster.</summary>
    public required IReadOnlyList<string> Nodes { get; init; }

    /// <summary>The replicas the workload goes back to.</summary>
    public required int Replicas { get; init; }

    /// <summary>Nodes still carrying the taint from a killed run (removed first).</summary>
    public required IReadOnlyList<string> Leftover { get; init; }

    /// <summary>The run id in the record an unfinished (failed or killed) rebalance left on the workload, or null.</summary>
    public string? UnfinishedRun { get; init; }

    /// <inheritdoc />
    public required string LockNamespace { get; init; }

    /// <inheritdoc />
    public OperationOpening? Opens => null;

    /// <summary>The plan of this run (made by the Vantiq module).</summary>
    public static RebalancePlan Of(RunbookContext context) => context.Plan<RebalancePlan>();

    /// <summary>Builds the plan (reads only).</summary>
    public static async Task<RebalancePlan> BuildAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var settings = context.Profile.Product<VantiqSettings>()
            ?? throw new InvalidInputException($"Profile '{context.Profile.Name}' ({context.Profile.SourcePath}) has no vantiq section: Vantiq is not installed on this cluster.");
        var name = context.Argument("workload") ?? settings.Server.Name;
        var ops = new WorkloadOperations(context.Kubernetes);
        var workload = WorkloadRef.StatefulSet(settings.Namespace, name);
        var state = await ops.TryGetAsync(workload).ConfigureAwait(false);
        if (state is null)
        {
            workload = WorkloadRef.Deployment(settings.Namespace, name);
            state = await ops.TryGetAsync(workload).ConfigureAwait(false)
                ?? throw new InvalidInputException($"--workload={name}: no statefulset or deployment {settings.Namespace}/{name}.");
        }

        var nodes = (await new NodeTaints(context.Kubernetes).ListAsync().ConfigureAwait(false)).Select(n => n.Metadata.Name).ToList();
        if (nodes.Count == 0) throw new InvalidInputException($"cluster '{context.Profile.Name}' lists no nodes: there is nothing to rebalance across.");
        var node = context.Argument("node")
            ?? (settings.NodePlacement.TryGetValue(name, out var placement) && !placement.Contains('=', StringComparison.Ordinal) ? placement.Split(',')[0].Trim() : null)
            ?? throw new InvalidInputException($"--node=NAME is required (or vantiq.nodePlacement.{name} with node names): the node the pods of {workload} go to.");
        if (!nodes.Contains(node)) throw new InvalidInputException($"--node={node}: no such node (nodes: {string.Join(", ", nodes)}).");

        // A rerun after a kill finds the normal count in the record (the workload may be at 1 now).
        var record = state.Annotations.TryGetValue(RecordAnnotation, out var json) ? JsonDocument.Parse(json).RootElement : (JsonElement?)null;
        var replicas = record is { } rec && rec.TryGetProperty("replicas", out var r)
            ? r.GetInt32()
            : settings.AllWorkloads.FirstOrDefault(w => w.Name == name)?.Replicas ?? state.DesiredReplicas;
        var unfinished = record is { } found ? (found.TryGetProperty("run", out var run) ? run.GetString() : null) ?? "unknown run" : null;
        var leftover = await new NodeTaints(context.Kubernetes).TaintedAsync(TaintKey).ConfigureAwait(false);
        return new RebalancePlan { LockNamespace = settings.Namespace, Workload = workload, Node = node, Nodes = nodes, Replicas = replicas, Leftover = leftover, UnfinishedRun = unfinished };
    }
}

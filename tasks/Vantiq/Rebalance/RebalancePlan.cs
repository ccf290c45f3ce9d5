using System.Globalization;
using System.Text.Json;
using KubeRunbooks.Clusters;
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
/// the first node of its <c>vantiq.nodePlacement</c> names), its normal replicas, the nodes to taint. The operation is
/// recorded in the operation ledger on the Vantiq StatefulSet (inputs: workload, node, normal count; taken: the nodes
/// tainted), so a rerun after a failure or a kill finishes it and every other Vantiq target is refused meanwhile.
/// </summary>
public sealed record RebalancePlan : IRunbookPlan
{
    /// <summary>The target's name.</summary>
    public const string TargetName = "RebalancePods";

    /// <summary>The taint key this runbook puts on the nodes (a rerun removes every taint with it first).</summary>
    public const string TaintKey = "kuberunbooks.io/rebalance";

    /// <summary>
    /// The annotation the first release wrote on the workload instead of a ledger record (JSON <c>node</c>,
    /// <c>replicas</c>, <c>run</c>): still honoured (its normal count is used) and removed once the ledger holds the operation.
    /// </summary>
    public const string LegacyRecordAnnotation = "kuberunbooks.io/rebalance";

    /// <summary>Ledger input: the workload moved.</summary>
    public const string WorkloadInput = "workload";

    /// <summary>Ledger input: the node its pods go to.</summary>
    public const string NodeInput = "node";

    /// <summary>Ledger input: the normal replica count the workload goes back to.</summary>
    public const string ReplicasInput = "replicas";

    /// <summary>Ledger taken: the nodes this operation tainted (comma-separated), recorded before the first taint.</summary>
    public const string TaintsTaken = "taints";

    /// <summary>The workload.</summary>
    public required WorkloadRef Workload { get; init; }

    /// <summary>The object carrying the ledger record (the Vantiq StatefulSet, or the workload when that is absent).</summary>
    public required WorkloadRef Anchor { get; init; }

    /// <summary>The node left untainted.</summary>
    public required string Node { get; init; }

    /// <summary>Every node of the cluster.</summary>
    public required IReadOnlyList<string> Nodes { get; init; }

    /// <summary>The replicas the workload goes back to.</summary>
    public required int Replicas { get; init; }

    /// <summary>Nodes still carrying the taint from a killed run (removed first).</summary>
    public required IReadOnlyList<string> Leftover { get; init; }

    /// <summary>The unfinished RebalancePods this run finishes (from the ledger, or the first release's annotation), or null.</summary>
    public string? Unfinished { get; init; }

    /// <summary>True when the workload still carries the first release's annotation (removed by this run).</summary>
    public bool HasLegacyRecord { get; init; }

    /// <inheritdoc />
    public required string LockNamespace { get; init; }

    /// <summary>The run's target (canonical spelling).</summary>
    public string Target => TargetName;

    /// <inheritdoc />
    /// <remarks>Also when resuming: the record is written again with this run's node and the recorded normal count.</remarks>
    public OperationOpening? Opens => new(Anchor, TargetName, new Dictionary<string, string>
    {
        [WorkloadInput] = Workload.ToString(),
        [NodeInput] = Node,
        [ReplicasInput] = Replicas.ToString(CultureInfo.InvariantCulture),
    });

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

        var server = WorkloadRef.StatefulSet(settings.Namespace, settings.Server.Name);
        var serverState = server == workload ? state : await ops.TryGetAsync(server).ConfigureAwait(false);
        var anchor = serverState is null ? workload : server;
        var anchorAnnotations = serverState?.Annotations ?? state.Annotations;
        OperationRecord? unfinished;
        try
        {
            unfinished = OperationLedger.From(anchorAnnotations, anchor);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidInputException(e.Message, e);
        }

        var decision = LedgerDecision.Decide(unfinished, TargetName, new Dictionary<string, string> { [WorkloadInput] = workload.ToString() }, context.Arguments.HasArgument("fresh"), mayReplace: false);
        if (decision.Action == LedgerAction.Refuse)
        {
            var rest = string.Equals(decision.Unfinished!.Target, TargetName, StringComparison.OrdinalIgnoreCase)
                ? $"finish it first with --workload={Short(decision.Unfinished.Input(WorkloadInput))}"
                : $"run {decision.Unfinished.Target} again to finish it (or roll it back) first";
            throw new InvalidInputException($"{anchor} records an unfinished {decision.Unfinished.Describe()}: {rest}.");
        }

        var nodes = (await new NodeTaints(context.Kubernetes).ListAsync().ConfigureAwait(false)).Select(n => n.Metadata.Name).ToList();
        if (nodes.Count == 0) throw new InvalidInputException($"cluster '{context.Profile.Name}' lists no nodes: there is nothing to rebalance across.");
        var node = context.Argument("node")
            ?? (settings.NodePlacement.TryGetValue(name, out var placement) && !placement.Contains('=', StringComparison.Ordinal) ? placement.Split(',')[0].Trim() : null)
            ?? throw new InvalidInputException($"--node=NAME is required (or vantiq.nodePlacement.{name} with node names): the node the pods of {workload} go to.");
        if (!nodes.Contains(node)) throw new InvalidInputException($"--node={node}: no such node (nodes: {string.Join(", ", nodes)}).");

        // A rerun after a failure or a kill finds the normal count in the record (the workload may be at 1 now).
        var legacy = Legacy(state.Annotations);
        var recorded = decision.Resumed?.Input(ReplicasInput) is { } r && int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : legacy.Replicas;
        var replicas = recorded ?? settings.AllWorkloads.FirstOrDefault(w => w.Name == name)?.Replicas ?? state.DesiredReplicas;
        var unfinishedText = decision.Resumed is { } resumed ? $"run {resumed.Run}" : legacy.Found ? $"run {legacy.Run ?? "unknown"}, recorded by the first release on {workload}" : null;
        var leftover = await new NodeTaints(context.Kubernetes).TaintedAsync(TaintKey).ConfigureAwait(false);
        return new RebalancePlan
        {
            LockNamespace = settings.Namespace, Workload = workload, Anchor = anchor, Node = node, Nodes = nodes, Replicas = replicas,
            Leftover = leftover, Unfinished = unfinishedText, HasLegacyRecord = legacy.Found,
        };
    }

    private static string Short(string? workload) => workload is null ? "?" : workload[(workload.LastIndexOf('/') + 1)..];

    private static (bool Found, int? Replicas, string? Run) Legacy(IReadOnlyDictionary<string, string> annotations)
    {
        if (!annotations.TryGetValue(LegacyRecordAnnotation, out var json)) return (false, null, null);
        try
        {
            var root = JsonDocument.Parse(json).RootElement;
            var replicas = root.TryGetProperty("replicas", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt32() : (int?)null;
            var run = root.TryGetProperty("run", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            return (true, replicas, run);
        }
        catch (JsonException)
        {
            return (true, null, null); // unreadable: the profile's normal count stands, and the annotation is removed
        }
    }
}

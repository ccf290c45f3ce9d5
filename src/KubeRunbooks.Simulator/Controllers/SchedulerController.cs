using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Controllers;

/// <summary>
/// The scheduler: binds each new pod without <c>spec.nodeName</c> to a node that passes
/// <see cref="NodeFit"/> (unschedulable, taints/tolerations, nodeSelector and required node
/// affinity), the best by <see cref="NodeFit.Score"/> (preferred node affinity, then PreferNoSchedule
/// taints avoided), then the one running fewest pods, then by name, and records Scheduled. A pod that fits
/// no node stays Pending with PodScheduled False (Unschedulable) and a FailedScheduling event
/// worded as the real scheduler's; it is tried again whenever a node changes (a taint removed,
/// a node added), so <c>kubectl taint nodes</c> takes effect for new pods; running pods are evicted
/// by NoExecute taints only (<see cref="TaintEvictionController"/>). A cluster with no Node gets one,
/// <see cref="DefaultNodeName"/>.
/// </summary>
public sealed class SchedulerController : WatchingController
{
    /// <summary>The node created when the cluster has none.</summary>
    public const string DefaultNodeName = "simulated-node";

    private const string Component = "default-scheduler";
    private bool _nodeEnsured;

    /// <inheritdoc />
    public override string Name => "scheduler";

    /// <inheritdoc />
    protected override IReadOnlyList<ResourceKind> Watched { get; } = [ResourceCatalog.Pods, ResourceCatalog.Nodes];

    /// <inheritdoc />
    protected override Task HandleAsync(StoreEvent change)
    {
        EnsureANode();
        if (change.Kind == ResourceCatalog.Nodes)
        {
            if (change.Type != StoreEventType.Deleted)
            {
                foreach (var pending in Store.List(ResourceCatalog.Pods).Items.Where(NeedsNode)) Schedule(pending);
            }
        }
        else if (change.Type == StoreEventType.Added && NeedsNode(change.Object))
        {
            Schedule(change.Object);
        }
        return Task.CompletedTask;
    }

    private void EnsureANode()
    {
        if (_nodeEnsured) return;
        _nodeEnsured = true;
        if (Store.List(ResourceCatalog.Nodes).Items.Count > 0) return;
        try
        {
            Store.Create(ResourceCatalog.Nodes, null, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Node",
                ["metadata"] = new JsonObject { ["name"] = DefaultNodeName, ["labels"] = new JsonObject { ["node-role.kubernetes.io/control-plane"] = "" } },
                ["spec"] = new JsonObject(),
            });
        }
        catch (ApiError e) when (e.Code == 409)
        {
            // Created meanwhile.
        }
    }

    private static bool NeedsNode(JsonObject pod) =>
        string.IsNullOrEmpty((string?)pod["spec"]?["nodeName"]) && pod["metadata"]?["deletionTimestamp"] == null && Workloads.Phase(pod) == "Pending";

    private void Schedule(JsonObject pod)
    {
        var ns = Workloads.Namespace(pod);
        var name = Workloads.Name(pod);
        var nodes = Store.List(ResourceCatalog.Nodes).Items;
        var reasons = new List<string>();
        var fitting = new List<JsonObject>();
        foreach (var node in nodes)
        {
            if (NodeFit.Reject(pod, node) is { } reason) reasons.Add(reason);
            else fitting.Add(node);
        }
        if (fitting.Count == 0)
        {
            Unschedulable(pod, Message(nodes.Count, reasons));
            return;
        }
        var load = Store.List(ResourceCatalog.Pods).Items
            .Where(p => Workloads.Phase(p) is not ("Succeeded" or "Failed"))
            .GroupBy(p => (string?)p["spec"]?["nodeName"] ?? "")
            .ToDictionary(g => g.Key, g => g.Count());
        var chosen = fitting.OrderByDescending(n => NodeFit.Score(pod, n)).ThenBy(n => load.GetValueOrDefault(Workloads.Name(n))).ThenBy(Workloads.Name, StringComparer.Ordinal).First();
        var nodeName = Workloads.Name(chosen);
        var uid = Workloads.Uid(pod);
        var bound = Store.Mutate(ResourceCatalog.Pods, ns, name, current =>
        {
            // A namesake created meanwhile (a StatefulSet pod) is scheduled on its own event.
            if (Workloads.Uid(current) != uid || !NeedsNode(current)) throw new ApiError(409, "Conflict", "already bound or replaced");
            current["spec"]!["nodeName"] = nodeName;
            current["metadata"]!.AsObject().Remove("resourceVersion");
            return current;
        });
        EventRecorder.Record(Store, ResourceCatalog.Pods, bound, "Normal", "Scheduled", $"Successfully assigned {ns}/{name} to {nodeName}", Component);
    }

    private void Unschedulable(JsonObject pod, string message)
    {
        var current = (string?)(pod["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => (string?)c["type"] == "PodScheduled")?["message"];
        // One event per new verdict (the real scheduler's retries raise the same event's count).
        if (current == message) return;
        var uid = Workloads.Uid(pod);
        var updated = Store.Mutate(ResourceCatalog.Pods, Workloads.Namespace(pod), Workloads.Name(pod), p =>
        {
            if (Workloads.Uid(p) != uid) throw new ApiError(409, "Conflict", "replaced");
            var status = p["status"] as JsonObject ?? new JsonObject();
            p["status"] = status;
            status["phase"] = "Pending";
            var conditions = new JsonArray();
            foreach (var c in (status["conditions"] as JsonArray ?? []).OfType<JsonObject>().Where(c => (string?)c["type"] != "PodScheduled")) conditions.Add(c.DeepClone());
            conditions.Add(new JsonObject
            {
                ["type"] = "PodScheduled", ["status"] = "False", ["lastProbeTime"] = null, ["lastTransitionTime"] = Workloads.Now(),
                ["reason"] = "Unschedulable", ["message"] = message,
            });
            status["conditions"] = conditions;
            p["metadata"]!.AsObject().Remove("resourceVersion");
            return p;
        }, statusOnly: true);
        EventRecorder.Record(Store, ResourceCatalog.Pods, updated, "Warning", "FailedScheduling", message, Component);
    }

    /// <summary>The scheduler's FitError text: reasons counted and sorted, then the preemption verdict.</summary>
    private static string Message(int nodeCount, List<string> reasons)
    {
        if (nodeCount == 0) return "no nodes available to schedule pods";
        var counted = reasons.GroupBy(r => r).Select(g => $"{g.Count()} {g.Key}").Order(StringComparer.Ordinal);
        return $"0/{nodeCount} nodes are available: {string.Join(", ", counted)}. " +
            $"preemption: 0/{nodeCount} nodes are available: {nodeCount} Preemption is not helpful for scheduling.";
    }
}

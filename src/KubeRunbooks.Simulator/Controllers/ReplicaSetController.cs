using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Controllers;

/// <summary>
/// The ReplicaSet controller: keeps <c>spec.replicas</c> pods NAME-xxxxx from the template, owned
/// by the ReplicaSet; removes extras not-Ready first, then newest; records SuccessfulCreate /
/// SuccessfulDelete events and the status counts (replicas, fullyLabeledReplicas, readyReplicas,
/// availableReplicas, observedGeneration) the Deployment controller aggregates. Terminating pods
/// (with a deletionTimestamp) no longer count, as on a real cluster.
/// </summary>
public sealed class ReplicaSetController : WatchingController
{
    private const string Component = "replicaset-controller";

    /// <inheritdoc />
    public override string Name => "replicaset";

    /// <inheritdoc />
    protected override IReadOnlyList<ResourceKind> Watched { get; } = [ResourceCatalog.ReplicaSets, ResourceCatalog.Pods];

    /// <inheritdoc />
    protected override Task HandleAsync(StoreEvent change)
    {
        if (change.Kind == ResourceCatalog.ReplicaSets)
        {
            if (change.Type != StoreEventType.Deleted) Reconcile(Workloads.Namespace(change.Object), Workloads.Name(change.Object));
        }
        else if (Workloads.ControllerOf(change.Object, ResourceCatalog.ReplicaSets) is { } owner)
        {
            Reconcile(Workloads.Namespace(change.Object), owner);
        }
        return Task.CompletedTask;
    }

    private void Reconcile(string ns, string name)
    {
        var rs = Store.TryGet(ResourceCatalog.ReplicaSets, ns, name);
        if (rs == null) return;
        var replicas = Workloads.Int(rs["spec"]?["replicas"], 1);
        var pods = ActivePods(rs);

        for (var i = pods.Count; i < replicas; i++)
        {
            var pod = Workloads.PodFromTemplate(rs["spec"]!["template"]!.AsObject(), Workloads.OwnerReference(ResourceCatalog.ReplicaSets, rs));
            var meta = pod["metadata"]!.AsObject();
            meta["generateName"] = $"{name}-";
            meta["namespace"] = ns;
            var created = Store.Create(ResourceCatalog.Pods, ns, pod);
            EventRecorder.Record(Store, ResourceCatalog.ReplicaSets, rs, "Normal", "SuccessfulCreate", $"Created pod: {Workloads.Name(created)}", Component);
        }
        var extras = pods
            .OrderBy(Workloads.IsReady)
            .ThenByDescending(p => (string?)p["metadata"]?["creationTimestamp"], StringComparer.Ordinal)
            .Take(Math.Max(0, pods.Count - replicas));
        foreach (var extra in extras)
        {
            Store.Delete(ResourceCatalog.Pods, ns, Workloads.Name(extra));
            EventRecorder.Record(Store, ResourceCatalog.ReplicaSets, rs, "Normal", "SuccessfulDelete", $"Deleted pod: {Workloads.Name(extra)}", Component);
        }

        pods = ActivePods(rs);
        var ready = pods.Count(Workloads.IsReady);
        var status = new JsonObject
        {
            ["replicas"] = pods.Count,
            ["fullyLabeledReplicas"] = pods.Count,
            ["readyReplicas"] = ready,
            ["availableReplicas"] = ready,
            ["observedGeneration"] = Workloads.Generation(rs),
        };
        // A real server omits zero counts (omitempty); kubectl prints them as 0.
        foreach (var zero in new[] { "fullyLabeledReplicas", "readyReplicas", "availableReplicas" })
        {
            if ((int?)status[zero] == 0) status.Remove(zero);
        }
        Workloads.WriteStatus(Store, ResourceCatalog.ReplicaSets, rs, status);
    }

    private List<JsonObject> ActivePods(JsonObject rs) =>
        Workloads.OwnedPods(Store, rs).Where(p => p["metadata"]?["deletionTimestamp"] == null && Workloads.Phase(p) is not ("Succeeded" or "Failed")).ToList();
}

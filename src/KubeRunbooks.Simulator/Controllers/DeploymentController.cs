using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Controllers;

/// <summary>
/// The Deployment controller, with ReplicaSets left implicit: pods NAME-HASH-RANDOM carry the
/// template's hash (pod-template-hash); on a template change new pods are created first and the
/// old ones deleted once the new ones are Ready (a surge rollout). Status counts, observedGeneration
/// and the Available / Progressing conditions are what <c>kubectl rollout status deploy</c> reads.
/// </summary>
public sealed class DeploymentController : WatchingController
{
    /// <inheritdoc />
    public override string Name => "deployment";

    /// <inheritdoc />
    protected override IReadOnlyList<ResourceKind> Watched { get; } = [ResourceCatalog.Deployments, ResourceCatalog.Pods];

    /// <inheritdoc />
    protected override Task HandleAsync(StoreEvent change)
    {
        if (change.Kind == ResourceCatalog.Deployments)
        {
            if (change.Type != StoreEventType.Deleted) Reconcile(Workloads.Namespace(change.Object), Workloads.Name(change.Object));
        }
        else if (Workloads.ControllerOf(change.Object, ResourceCatalog.Deployments) is { } owner)
        {
            Reconcile(Workloads.Namespace(change.Object), owner);
        }
        return Task.CompletedTask;
    }

    private void Reconcile(string ns, string name)
    {
        var deployment = Store.TryGet(ResourceCatalog.Deployments, ns, name);
        if (deployment == null) return;
        var replicas = Workloads.Int(deployment["spec"]?["replicas"], 1);
        var hash = Workloads.TemplateHash(deployment["spec"]?["template"]);
        var pods = Workloads.OwnedPods(Store, deployment);
        var current = pods.Where(p => Workloads.Label(p, Workloads.TemplateHashLabel) == hash).ToList();
        var old = pods.Except(current).ToList();

        for (var i = current.Count; i < replicas; i++) CreatePod(deployment, ns, name, hash);
        foreach (var extra in current.OrderBy(Workloads.IsReady).Take(Math.Max(0, current.Count - replicas)))
        {
            Store.Delete(ResourceCatalog.Pods, ns, Workloads.Name(extra));
        }
        if (current.Count(Workloads.IsReady) >= replicas)
        {
            foreach (var stale in old) Store.Delete(ResourceCatalog.Pods, ns, Workloads.Name(stale));
        }

        pods = Workloads.OwnedPods(Store, deployment);
        var updated = pods.Count(p => Workloads.Label(p, Workloads.TemplateHashLabel) == hash);
        var ready = pods.Count(Workloads.IsReady);
        var now = Workloads.Now();
        var available = ready >= replicas;
        var status = new JsonObject
        {
            ["observedGeneration"] = Workloads.Generation(deployment),
            ["replicas"] = pods.Count,
            ["updatedReplicas"] = updated,
            ["readyReplicas"] = ready,
            ["availableReplicas"] = ready,
            ["unavailableReplicas"] = Math.Max(0, replicas - ready),
            ["conditions"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "Available", ["status"] = available ? "True" : "False",
                    ["reason"] = available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                    ["message"] = available ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
                    ["lastUpdateTime"] = now, ["lastTransitionTime"] = now,
                },
                new JsonObject
                {
                    ["type"] = "Progressing", ["status"] = "True",
                    ["reason"] = updated == replicas && available ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                    ["message"] = $"ReplicaSet \"{name}-{hash}\" is progressing.",
                    ["lastUpdateTime"] = now, ["lastTransitionTime"] = now,
                }),
        };
        if (ready == 0) status.Remove("readyReplicas");
        Workloads.WriteStatus(Store, ResourceCatalog.Deployments, deployment, status);
    }

    private void CreatePod(JsonObject deployment, string ns, string name, string hash)
    {
        var pod = Workloads.PodFromTemplate(deployment["spec"]!["template"]!.AsObject(), Workloads.OwnerReference(ResourceCatalog.Deployments, deployment));
        var meta = pod["metadata"]!.AsObject();
        meta["generateName"] = $"{name}-{hash}-";
        meta["namespace"] = ns;
        meta["labels"]!.AsObject()[Workloads.TemplateHashLabel] = hash;
        Store.Create(ResourceCatalog.Pods, ns, pod);
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Controllers;

/// <summary>
/// The Deployment controller, through ReplicaSets as on a real cluster: one ReplicaSet
/// NAME-HASH per pod template (its pods and selector carry <c>pod-template-hash</c>), numbered by
/// the <c>deployment.kubernetes.io/revision</c> annotation, so that <c>kubectl rollout history</c>
/// and <c>rollout undo</c> work (undo puts an old template back: its ReplicaSet is found again by
/// template and gets the next revision). RollingUpdate scales the new ReplicaSet up first and the
/// old ones down to 0 once the new pods are Ready (a surge); Recreate scales the old ones down
/// first and the new one up once their pods are gone and their containers have ended. Old ReplicaSets beyond
/// <c>revisionHistoryLimit</c> (10) are deleted. Status sums the ReplicaSets' counts, with the
/// Available / Progressing conditions <c>kubectl rollout status deploy</c> reads;
/// ScalingReplicaSet events as the real controller words them.
/// </summary>
public sealed class DeploymentController : WatchingController
{
    /// <summary>The annotation holding a Deployment's (and its ReplicaSets') revision number.</summary>
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";

    private const string Component = "deployment-controller";

    // Annotations of the Deployment not copied onto its ReplicaSets (as kubectl's rollback skips them).
    private static readonly HashSet<string> NotCopied =
    [
        "kubectl.kubernetes.io/last-applied-configuration", RevisionAnnotation, "deployment.kubernetes.io/revision-history",
        "deployment.kubernetes.io/desired-replicas", "deployment.kubernetes.io/max-replicas",
    ];

    /// <inheritdoc />
    public override string Name => "deployment";

    /// <inheritdoc />
    protected override IReadOnlyList<ResourceKind> Watched { get; } = [ResourceCatalog.Deployments, ResourceCatalog.ReplicaSets, ResourceCatalog.Pods];

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
        var uid = Workloads.Uid(deployment);
        // Pods owned by the Deployment itself come from a state saved before ReplicaSets: the ReplicaSet replaces them.
        foreach (var legacy in Workloads.OwnedPods(Store, deployment)) Store.Delete(ResourceCatalog.Pods, ns, Workloads.Name(legacy));

        var replicas = Workloads.Int(deployment["spec"]?["replicas"], 1);
        var template = deployment["spec"]?["template"] as JsonObject ?? new JsonObject();
        var all = Store.List(ResourceCatalog.ReplicaSets, ns).Items.Where(rs => Workloads.IsOwnedBy(rs, uid)).ToList();
        var newRs = all.FirstOrDefault(rs => SameTemplate(rs, template));
        var old = all.Where(rs => rs != newRs).ToList();
        var maxOld = old.Select(Revision).DefaultIfEmpty(0).Max();

        if (newRs == null)
        {
            newRs = Store.Create(ResourceCatalog.ReplicaSets, ns, NewReplicaSet(deployment, template, maxOld + 1));
        }
        else if (Revision(newRs) <= maxOld)
        {
            // An old template came back (rollout undo): its ReplicaSet becomes the newest revision.
            newRs = Store.Mutate(ResourceCatalog.ReplicaSets, ns, Workloads.Name(newRs), rs =>
            {
                Annotations(rs)[RevisionAnnotation] = Workloads.Text(maxOld + 1);
                rs["metadata"]!.AsObject().Remove("resourceVersion");
                return rs;
            });
        }
        var revision = Workloads.Text(Revision(newRs));
        if ((string?)deployment["metadata"]?["annotations"]?[RevisionAnnotation] != revision)
        {
            deployment = Store.Mutate(ResourceCatalog.Deployments, ns, name, d =>
            {
                Annotations(d)[RevisionAnnotation] = revision;
                d["metadata"]!.AsObject().Remove("resourceVersion");
                return d;
            });
        }

        Scale(deployment, newRs, old, replicas);
        CleanUp(deployment, old);
        WriteStatus(deployment, ns, uid, Workloads.Name(newRs), replicas);
    }

    private void Scale(JsonObject deployment, JsonObject newRs, List<JsonObject> old, int replicas)
    {
        var recreate = (string?)deployment["spec"]?["strategy"]?["type"] == "Recreate";
        var oldActive = old.Where(rs => Workloads.Int(rs["spec"]?["replicas"], 0) > 0 || Workloads.Int(rs["status"]?["replicas"], 0) > 0).ToList();
        if (recreate && oldActive.Count > 0)
        {
            foreach (var rs in oldActive) ScaleReplicaSet(deployment, rs, 0);
            return;
        }
        if (recreate && OldContainersRunning(deployment, old) is { } ending)
        {
            // As the real controller: no new pod while an old one runs. A deleted pod is gone from the store at once
            // here, but its containers run on through the stop signal and grace period (on the same volumes).
            HandleAgainAfter(ending, new StoreEvent(StoreEventType.Modified, ResourceCatalog.Deployments, deployment, 0));
            return;
        }
        ScaleReplicaSet(deployment, newRs, replicas);
        var fresh = Store.TryGet(ResourceCatalog.ReplicaSets, Workloads.Namespace(newRs), Workloads.Name(newRs)) ?? newRs;
        if (Workloads.Int(fresh["status"]?["readyReplicas"], 0) >= replicas)
        {
            foreach (var rs in oldActive) ScaleReplicaSet(deployment, rs, 0);
        }
    }

    // The end of the containers of the old ReplicaSets' pods still running in the runtime, or null when none runs.
    private Task? OldContainersRunning(JsonObject deployment, List<JsonObject> old)
    {
        if (Context.Runtime is not { } runtime || old.Count == 0) return null;
        var uids = old.Select(Workloads.Uid).ToHashSet(StringComparer.Ordinal);
        var ending = runtime.WhenEndedAsync(Workloads.Namespace(deployment), pod => pod.Metadata.OwnerReferences?.Any(r => uids.Contains(r.Uid)) == true);
        return ending.IsCompleted ? null : ending;
    }

    private void ScaleReplicaSet(JsonObject deployment, JsonObject rs, int to)
    {
        var from = Workloads.Int(rs["spec"]?["replicas"], 1);
        if (from == to) return;
        var ns = Workloads.Namespace(rs);
        var name = Workloads.Name(rs);
        Store.Mutate(ResourceCatalog.ReplicaSets, ns, name, current =>
        {
            current["spec"]!["replicas"] = to;
            Annotations(current)["deployment.kubernetes.io/desired-replicas"] = Workloads.Text(Workloads.Int(deployment["spec"]?["replicas"], 1));
            current["metadata"]!.AsObject().Remove("resourceVersion");
            return current;
        });
        EventRecorder.Record(Store, ResourceCatalog.Deployments, deployment, "Normal", "ScalingReplicaSet",
            $"Scaled {(to > from ? "up" : "down")} replica set {name} to {to} from {from}", Component);
    }

    /// <summary>Deletes the oldest empty ReplicaSets beyond revisionHistoryLimit.</summary>
    private void CleanUp(JsonObject deployment, List<JsonObject> old)
    {
        var limit = Workloads.Int(deployment["spec"]?["revisionHistoryLimit"], 10);
        var empty = old.Select(rs => Store.TryGet(ResourceCatalog.ReplicaSets, Workloads.Namespace(rs), Workloads.Name(rs)))
            .OfType<JsonObject>()
            .Where(rs => Workloads.Int(rs["spec"]?["replicas"], 0) == 0 && Workloads.Int(rs["status"]?["replicas"], 0) == 0)
            .OrderBy(Revision)
            .ToList();
        foreach (var rs in empty.Take(Math.Max(0, empty.Count - limit)))
        {
            Store.Delete(ResourceCatalog.ReplicaSets, Workloads.Namespace(rs), Workloads.Name(rs));
        }
    }

    private void WriteStatus(JsonObject deployment, string ns, string uid, string newName, int replicas)
    {
        var sets = Store.List(ResourceCatalog.ReplicaSets, ns).Items.Where(rs => Workloads.IsOwnedBy(rs, uid)).ToList();
        int Sum(string field) => sets.Sum(rs => Workloads.Int(rs["status"]?[field], 0));
        var total = Sum("replicas");
        var ready = Sum("readyReplicas");
        var available = Sum("availableReplicas");
        var updated = sets.Where(rs => Workloads.Name(rs) == newName).Sum(rs => Workloads.Int(rs["status"]?["replicas"], 0));
        var now = Workloads.Now();
        var isAvailable = available >= replicas;
        var complete = updated == replicas && total == updated && available >= replicas;
        var status = new JsonObject
        {
            ["observedGeneration"] = Workloads.Generation(deployment),
            ["replicas"] = total,
            ["updatedReplicas"] = updated,
            ["readyReplicas"] = ready,
            ["availableReplicas"] = available,
            ["unavailableReplicas"] = Math.Max(0, replicas - available),
            ["conditions"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "Available", ["status"] = isAvailable ? "True" : "False",
                    ["reason"] = isAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                    ["message"] = isAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
                    ["lastUpdateTime"] = now, ["lastTransitionTime"] = now,
                },
                new JsonObject
                {
                    ["type"] = "Progressing", ["status"] = "True",
                    ["reason"] = complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                    ["message"] = complete ? $"ReplicaSet \"{newName}\" has successfully progressed." : $"ReplicaSet \"{newName}\" is progressing.",
                    ["lastUpdateTime"] = now, ["lastTransitionTime"] = now,
                }),
        };
        foreach (var zero in new[] { "replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas" })
        {
            if ((int?)status[zero] == 0) status.Remove(zero);
        }
        Workloads.WriteStatus(Store, ResourceCatalog.Deployments, deployment, status);
    }

    private static JsonObject NewReplicaSet(JsonObject deployment, JsonObject template, long revision)
    {
        var name = Workloads.Name(deployment);
        var hash = Workloads.TemplateHash(Canonical(template));
        var rsTemplate = (JsonObject)template.DeepClone();
        var templateMeta = rsTemplate["metadata"] as JsonObject ?? new JsonObject();
        rsTemplate["metadata"] = templateMeta;
        var labels = templateMeta["labels"] as JsonObject ?? new JsonObject();
        templateMeta["labels"] = labels;
        labels[Workloads.TemplateHashLabel] = hash;

        var selector = deployment["spec"]?["selector"]?.DeepClone() as JsonObject ?? new JsonObject();
        var matchLabels = selector["matchLabels"] as JsonObject ?? new JsonObject();
        selector["matchLabels"] = matchLabels;
        matchLabels[Workloads.TemplateHashLabel] = hash;

        var annotations = new JsonObject();
        if (deployment["metadata"]?["annotations"] is JsonObject source)
        {
            foreach (var (key, value) in source.Where(a => !NotCopied.Contains(a.Key))) annotations[key] = value?.DeepClone();
        }
        annotations["deployment.kubernetes.io/desired-replicas"] = Workloads.Text(Workloads.Int(deployment["spec"]?["replicas"], 1));
        annotations["deployment.kubernetes.io/max-replicas"] = Workloads.Text(Workloads.Int(deployment["spec"]?["replicas"], 1) + 1);
        annotations[RevisionAnnotation] = Workloads.Text(revision);

        var spec = new JsonObject
        {
            ["replicas"] = 0,
            ["selector"] = selector,
            ["template"] = rsTemplate,
        };
        if (deployment["spec"]?["minReadySeconds"] is { } minReady) spec["minReadySeconds"] = minReady.DeepClone();
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{name}-{hash}",
                ["namespace"] = Workloads.Namespace(deployment),
                ["labels"] = labels.DeepClone(),
                ["annotations"] = annotations,
                ["ownerReferences"] = new JsonArray(Workloads.OwnerReference(ResourceCatalog.Deployments, deployment)),
            },
            ["spec"] = spec,
        };
    }

    /// <summary>True when the ReplicaSet's template, without its pod-template-hash label, is the Deployment's (keys in any order).</summary>
    private static bool SameTemplate(JsonObject rs, JsonObject template)
    {
        var rsTemplate = rs["spec"]?["template"]?.DeepClone() as JsonObject ?? new JsonObject();
        if (rsTemplate["metadata"]?["labels"] is JsonObject labels)
        {
            labels.Remove(Workloads.TemplateHashLabel);
            if (labels.Count == 0) rsTemplate["metadata"]!.AsObject().Remove("labels");
        }
        return JsonNode.DeepEquals(Canonical(rsTemplate), Canonical(template));
    }

    /// <summary>A copy with object keys sorted and empty objects dropped, so that equal templates compare and hash equal.</summary>
    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj
            .Where(p => p.Value is not JsonObject { Count: 0 } && p.Value != null)
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Canonical).ToArray()),
        _ => node?.DeepClone(),
    };

    private static long Revision(JsonObject rs) =>
        long.TryParse((string?)rs["metadata"]?["annotations"]?[RevisionAnnotation], NumberStyles.None, CultureInfo.InvariantCulture, out var revision) ? revision : 0;

    private static JsonObject Annotations(JsonObject obj)
    {
        var meta = obj["metadata"]!.AsObject();
        if (meta["annotations"] is not JsonObject annotations)
        {
            annotations = new JsonObject();
            meta["annotations"] = annotations;
        }
        return annotations;
    }
}

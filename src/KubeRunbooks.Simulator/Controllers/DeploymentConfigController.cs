using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Controllers;

/// <summary>
/// The OpenShift DeploymentConfig controller, with ReplicationControllers left implicit: version N of DC NAME runs
/// pods <c>NAME-N-RANDOM</c> labelled <c>deployment=NAME-N</c>, <c>deploymentconfig=NAME</c> and
/// <c>deploymentConfig=NAME</c> (the label 3scale's templates select on). A new version starts when
/// <c>status.latestVersion</c> goes up (the <c>instantiate</c> subresource, or a status patch) or, with the
/// ConfigChange trigger (the default), when the pod template changes. Strategy Rolling creates the new pods first and
/// deletes the old once the new are Ready; Recreate deletes the old first and starts the new once their containers have ended.
/// </summary>
public sealed class DeploymentConfigController : WatchingController
{
    /// <summary>The pod label naming the version a pod belongs to (<c>NAME-N</c>).</summary>
    public const string VersionLabel = "deployment";

    /// <summary>The status field holding the template hash of the latest version (for the ConfigChange trigger).</summary>
    public const string TemplateHashField = "latestTemplateHash";

    /// <inheritdoc />
    public override string Name => "deploymentconfig";

    /// <inheritdoc />
    protected override IReadOnlyList<ResourceKind> Watched { get; } = [ResourceCatalog.DeploymentConfigs, ResourceCatalog.Pods];

    /// <inheritdoc />
    protected override Task HandleAsync(StoreEvent change)
    {
        if (change.Kind == ResourceCatalog.DeploymentConfigs)
        {
            if (change.Type != StoreEventType.Deleted) Reconcile(Workloads.Namespace(change.Object), Workloads.Name(change.Object));
        }
        else if (Workloads.ControllerOf(change.Object, ResourceCatalog.DeploymentConfigs) is { } owner)
        {
            Reconcile(Workloads.Namespace(change.Object), owner);
        }
        return Task.CompletedTask;
    }

    private void Reconcile(string ns, string name)
    {
        var dc = Store.TryGet(ResourceCatalog.DeploymentConfigs, ns, name);
        if (dc == null) return;
        var spec = dc["spec"] as JsonObject ?? new JsonObject();
        var replicas = Workloads.Int(spec["replicas"], 1);
        var hash = Workloads.TemplateHash(spec["template"]);
        var previous = dc["status"] as JsonObject ?? new JsonObject();
        var latest = JsonNumbers.AsLong(previous["latestVersion"]) ?? 0;
        var latestHash = (string?)previous[TemplateHashField];
        var details = previous["details"]?.DeepClone();
        if (HasConfigChangeTrigger(spec) && (bool?)spec["paused"] != true && (latest == 0 || latestHash != hash))
        {
            latest++;
            latestHash = hash;
            details = new JsonObject { ["message"] = "config change", ["causes"] = new JsonArray(new JsonObject { ["type"] = "ConfigChange" }) };
        }

        var version = $"{name}-{latest}";
        var pods = Workloads.OwnedPods(Store, dc);
        var current = pods.Where(p => Workloads.Label(p, VersionLabel) == version).ToList();
        var old = pods.Except(current).ToList();
        var recreate = (string?)spec["strategy"]?["type"] == "Recreate";
        if (latest > 0)
        {
            if (recreate && old.Count > 0)
            {
                foreach (var stale in old) Store.Delete(ResourceCatalog.Pods, ns, Workloads.Name(stale));
            }
            else if (recreate && OldContainersRunning(dc, version) is { } ending)
            {
                // No new pod while an old one's containers still stop (gone from the store, running through their grace period).
                HandleAgainAfter(ending, new StoreEvent(StoreEventType.Modified, ResourceCatalog.DeploymentConfigs, dc, 0));
            }
            else
            {
                for (var i = current.Count; i < replicas; i++) CreatePod(dc, ns, name, latest);
            }
            foreach (var extra in current.OrderBy(Workloads.IsReady).Take(Math.Max(0, current.Count - replicas)))
                Store.Delete(ResourceCatalog.Pods, ns, Workloads.Name(extra));
            if (!recreate && current.Count(Workloads.IsReady) >= replicas)
            {
                foreach (var stale in old) Store.Delete(ResourceCatalog.Pods, ns, Workloads.Name(stale));
            }
        }

        pods = Workloads.OwnedPods(Store, dc);
        var updated = pods.Count(p => Workloads.Label(p, VersionLabel) == version);
        var ready = pods.Count(Workloads.IsReady);
        var available = ready >= replicas;
        var complete = updated == replicas && pods.Count == replicas && available;
        var status = new JsonObject
        {
            ["observedGeneration"] = Workloads.Generation(dc),
            ["latestVersion"] = latest,
            [TemplateHashField] = latestHash,
            ["replicas"] = pods.Count,
            ["updatedReplicas"] = updated,
            ["readyReplicas"] = ready,
            ["availableReplicas"] = ready,
            ["unavailableReplicas"] = Math.Max(0, replicas - ready),
            ["conditions"] = new JsonArray(
                Condition(previous, "Available", available ? "True" : "False", available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                    available ? "Deployment config has minimum availability." : "Deployment config does not have minimum availability."),
                Condition(previous, "Progressing", "True", complete ? "NewReplicationControllerAvailable" : "ReplicationControllerUpdated",
                    complete ? $"replication controller \"{version}\" successfully rolled out" : $"replication controller \"{version}\" is progressing")),
        };
        if (details is not null) status["details"] = details;
        if (ready == 0) status.Remove("readyReplicas");
        Workloads.WriteStatus(Store, ResourceCatalog.DeploymentConfigs, dc, status);
    }

    // The end of the containers of older versions' pods still running in the runtime, or null when none runs.
    private Task? OldContainersRunning(JsonObject dc, string version)
    {
        if (Context.Runtime is not { } runtime) return null;
        var uid = Workloads.Uid(dc);
        var ending = runtime.WhenEndedAsync(Workloads.Namespace(dc), pod =>
            pod.Metadata.OwnerReferences?.Any(r => r.Uid == uid) == true && !(pod.Metadata.Labels?.TryGetValue(VersionLabel, out var v) == true && v == version));
        return ending.IsCompleted ? null : ending;
    }

    // Absent triggers default to ConfigChange, as the API server defaults them; an empty list means none.
    private static bool HasConfigChangeTrigger(JsonObject spec) =>
        spec["triggers"] is not JsonArray triggers || triggers.Any(t => (string?)t?["type"] == "ConfigChange");

    // Times move only when the condition's status or reason changes, so an unchanged status is not rewritten.
    private static JsonObject Condition(JsonObject previous, string type, string status, string reason, string message)
    {
        var before = (previous["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);
        var same = before is not null && (string?)before["status"] == status && (string?)before["reason"] == reason;
        var now = Workloads.Now();
        return new JsonObject
        {
            ["type"] = type, ["status"] = status, ["reason"] = reason, ["message"] = message,
            ["lastUpdateTime"] = same ? before!["lastUpdateTime"]?.DeepClone() : now,
            ["lastTransitionTime"] = same ? before!["lastTransitionTime"]?.DeepClone() : now,
        };
    }

    private void CreatePod(JsonObject dc, string ns, string name, long latest)
    {
        var pod = Workloads.PodFromTemplate(dc["spec"]!["template"]!.AsObject(), Workloads.OwnerReference(ResourceCatalog.DeploymentConfigs, dc));
        var meta = pod["metadata"]!.AsObject();
        meta["generateName"] = $"{name}-{latest}-";
        meta["namespace"] = ns;
        var labels = meta["labels"]!.AsObject();
        labels[VersionLabel] = $"{name}-{latest}";
        labels["deploymentconfig"] = name;
        labels["deploymentConfig"] = name;
        var annotations = meta["annotations"] as JsonObject ?? new JsonObject();
        annotations["openshift.io/deployment-config.name"] = name;
        annotations["openshift.io/deployment-config.latest-version"] = Workloads.Text(latest);
        annotations["openshift.io/deployment.name"] = $"{name}-{latest}";
        meta["annotations"] = annotations;
        Store.Create(ResourceCatalog.Pods, ns, pod);
    }
}

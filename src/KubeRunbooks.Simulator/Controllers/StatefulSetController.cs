using System.Globalization;
using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Controllers;

/// <summary>
/// The StatefulSet controller (OrderedReady, RollingUpdate): pods NAME-0..N-1 created in order,
/// each only after the previous is Ready; scale down from the highest ordinal; a template change
/// (new image, <c>kubectl.kubernetes.io/restartedAt</c>) replaces pods from the highest ordinal,
/// one at a time, each once all are Ready. Status is kept as a real controller keeps it
/// (observedGeneration, revisions and counts), which is what <c>kubectl rollout status</c> reads.
/// PVCs of volumeClaimTemplates are created as CLAIM-NAME-ORDINAL and kept.
/// </summary>
public sealed class StatefulSetController : WatchingController
{
    /// <inheritdoc />
    public override string Name => "statefulset";

    /// <inheritdoc />
    protected override IReadOnlyList<ResourceKind> Watched { get; } = [ResourceCatalog.StatefulSets, ResourceCatalog.Pods];

    /// <inheritdoc />
    protected override Task HandleAsync(StoreEvent change)
    {
        if (change.Kind == ResourceCatalog.StatefulSets)
        {
            if (change.Type != StoreEventType.Deleted) Reconcile(Workloads.Namespace(change.Object), Workloads.Name(change.Object));
        }
        else if (Workloads.ControllerOf(change.Object, ResourceCatalog.StatefulSets) is { } owner)
        {
            Reconcile(Workloads.Namespace(change.Object), owner);
        }
        return Task.CompletedTask;
    }

    private void Reconcile(string ns, string name)
    {
        var sts = Store.TryGet(ResourceCatalog.StatefulSets, ns, name);
        if (sts == null) return;
        var spec = sts["spec"]!.AsObject();
        var replicas = Workloads.Int(spec["replicas"], 1);
        var updateRevision = $"{name}-{Workloads.TemplateHash(spec["template"])}";
        var currentRevision = (string?)sts["status"]?["currentRevision"] ?? updateRevision;
        var pods = Workloads.OwnedPods(Store, sts)
            .Select(p => (Ordinal: OrdinalOf(name, p), Pod: p))
            .Where(p => p.Ordinal >= 0)
            .OrderBy(p => p.Ordinal)
            .ToList();

        Act(sts, ns, name, replicas, updateRevision, pods);

        pods = Workloads.OwnedPods(Store, sts).Select(p => (OrdinalOf(name, p), p)).Where(p => p.Item1 >= 0).ToList();
        WriteStatus(sts, replicas, currentRevision, updateRevision, pods.Select(p => p.Pod).ToList());
    }

    /// <summary>Takes at most one step: create the lowest missing pod, delete the highest condemned or outdated one.</summary>
    private void Act(JsonObject sts, string ns, string name, int replicas, string updateRevision, List<(int Ordinal, JsonObject Pod)> pods)
    {
        var byOrdinal = pods.ToDictionary(p => p.Ordinal, p => p.Pod);
        var parallel = (string?)sts["spec"]?["podManagementPolicy"] == "Parallel";
        for (var ordinal = 0; ordinal < replicas; ordinal++)
        {
            if (!byOrdinal.TryGetValue(ordinal, out var pod))
            {
                CreatePod(sts, ns, name, ordinal, updateRevision);
                if (!parallel) return;
                continue;
            }
            // OrderedReady: nothing happens past a pod that is not Ready yet.
            if (!parallel && !Workloads.IsReady(pod)) return;
        }

        var condemned = pods.Where(p => p.Ordinal >= replicas).OrderByDescending(p => p.Ordinal).FirstOrDefault();
        if (condemned.Pod != null)
        {
            DeletePod(sts, condemned.Pod);
            return;
        }

        if ((string?)sts["spec"]?["updateStrategy"]?["type"] == "OnDelete") return;
        var partition = Workloads.Int(sts["spec"]?["updateStrategy"]?["rollingUpdate"]?["partition"], 0);
        if (pods.Any(p => !Workloads.IsReady(p.Pod))) return;
        var outdated = pods
            .Where(p => p.Ordinal >= partition && Workloads.Label(p.Pod, Workloads.RevisionLabel) != updateRevision)
            .OrderByDescending(p => p.Ordinal)
            .FirstOrDefault();
        // The pod is deleted now and recreated from the new template on the Deleted event.
        if (outdated.Pod != null) DeletePod(sts, outdated.Pod);
    }

    private void DeletePod(JsonObject sts, JsonObject pod)
    {
        Store.Delete(ResourceCatalog.Pods, Workloads.Namespace(pod), Workloads.Name(pod));
        EventRecorder.Record(Store, ResourceCatalog.StatefulSets, sts, "Normal", "SuccessfulDelete",
            $"delete Pod {Workloads.Name(pod)} in StatefulSet {Workloads.Name(sts)} successful", "statefulset-controller");
    }

    private void CreatePod(JsonObject sts, string ns, string name, int ordinal, string revision)
    {
        var podName = $"{name}-{ordinal.ToString(CultureInfo.InvariantCulture)}";
        var pod = Workloads.PodFromTemplate(sts["spec"]!["template"]!.AsObject(), Workloads.OwnerReference(ResourceCatalog.StatefulSets, sts));
        var meta = pod["metadata"]!.AsObject();
        meta["name"] = podName;
        meta["namespace"] = ns;
        var labels = meta["labels"]!.AsObject();
        labels[Workloads.RevisionLabel] = revision;
        labels["statefulset.kubernetes.io/pod-name"] = podName;
        labels["apps.kubernetes.io/pod-index"] = ordinal.ToString(CultureInfo.InvariantCulture);
        var podSpec = pod["spec"]!.AsObject();
        podSpec["hostname"] = podName;
        if (sts["spec"]?["serviceName"] is JsonNode service) podSpec["subdomain"] = service.DeepClone();
        foreach (var claim in (sts["spec"]?["volumeClaimTemplates"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var claimName = $"{(string?)claim["metadata"]?["name"]}-{podName}";
            EnsureClaim(ns, claimName, claim);
            var volumes = podSpec["volumes"] as JsonArray ?? new JsonArray();
            podSpec["volumes"] = volumes;
            volumes.Add(new JsonObject
            {
                ["name"] = (string?)claim["metadata"]?["name"],
                ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = claimName },
            });
        }
        Store.Create(ResourceCatalog.Pods, ns, pod);
        EventRecorder.Record(Store, ResourceCatalog.StatefulSets, sts, "Normal", "SuccessfulCreate",
            $"create Pod {podName} in StatefulSet {name} successful", "statefulset-controller");
    }

    private void EnsureClaim(string ns, string claimName, JsonObject template)
    {
        if (Store.TryGet(ResourceCatalog.PersistentVolumeClaims, ns, claimName) != null) return;
        Store.Create(ResourceCatalog.PersistentVolumeClaims, ns, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = claimName, ["labels"] = template["metadata"]?["labels"]?.DeepClone() },
            ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject(),
        });
    }

    private void WriteStatus(JsonObject sts, int replicas, string currentRevision, string updateRevision, List<JsonObject> pods)
    {
        var ready = pods.Count(Workloads.IsReady);
        var updated = pods.Count(p => Workloads.Label(p, Workloads.RevisionLabel) == updateRevision);
        var current = pods.Count(p => Workloads.Label(p, Workloads.RevisionLabel) == currentRevision);
        // As the real controller: the rollout is complete when every wanted pod is updated and Ready.
        if (currentRevision != updateRevision && updated == replicas && ready == replicas && pods.Count == replicas)
        {
            currentRevision = updateRevision;
            current = updated;
        }
        var status = new JsonObject
        {
            ["observedGeneration"] = Workloads.Generation(sts),
            ["replicas"] = pods.Count,
            ["readyReplicas"] = ready,
            ["currentReplicas"] = current,
            ["updatedReplicas"] = updated,
            ["availableReplicas"] = ready,
            ["currentRevision"] = currentRevision,
            ["updateRevision"] = updateRevision,
            ["collisionCount"] = 0,
        };
        Workloads.WriteStatus(Store, ResourceCatalog.StatefulSets, sts, status);
    }

    private static int OrdinalOf(string stsName, JsonObject pod)
    {
        var podName = Workloads.Name(pod);
        var prefix = stsName + "-";
        return podName.StartsWith(prefix, StringComparison.Ordinal) &&
               int.TryParse(podName[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal)
            ? ordinal
            : -1;
    }
}

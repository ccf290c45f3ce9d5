using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.State;

/// <summary>
/// What a loaded cluster looks like after its single node restarted: no process survived the previous run, so
/// every pod that was not finished must be started again by the pod controller.
/// <list type="bullet">
/// <item>Pods whose phase is not Succeeded or Failed: status.phase becomes Pending; containerStatuses,
/// initContainerStatuses, ephemeralContainerStatuses, podIP, podIPs, startTime, reason and message are removed;
/// the Initialized, ContainersReady and Ready conditions become False (reason ContainersNotReady);
/// PodScheduled, hostIP and qosClass are kept. Spec and metadata are untouched.</item>
/// <item>Pods that Succeeded or Failed, and Jobs (finished or not): untouched, so a finished Job stays finished.</item>
/// <item>StatefulSets and Deployments: status.readyReplicas and status.availableReplicas become 0, since no pod
/// is ready; the controllers recompute them as pods come up.</item>
/// <item>Nothing else changes, and no object is created or deleted.</item>
/// </list>
/// Each change is an ordinary status update, so it gets a new resourceVersion and is persisted like any other.
/// </summary>
public static class NodeRestart
{
    private static readonly string[] ResetConditions = ["Initialized", "ContainersReady", "Ready"];
    private static readonly string[] RemovedPodStatus =
        ["containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses", "podIP", "podIPs", "startTime", "reason", "message"];

    /// <summary>
    /// The pods of <paramref name="store"/> whose Ready condition is True, as <c>NS/NAME</c>: read before
    /// <see cref="Apply"/>, they are what an operator expects to see ready again once their processes are up.
    /// </summary>
    public static IReadOnlyList<string> ReadyPods(ObjectStore store) =>
        store.List(ResourceCatalog.Pods).Items
            .Where(pod => (pod["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
                .Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True") == true)
            .Select(pod => $"{Namespace(pod)}/{Name(pod)}")
            .ToList();

    /// <summary>Applies the node restart to every object of <paramref name="store"/>; returns how many pods were reset.</summary>
    public static int Apply(ObjectStore store, DateTimeOffset now)
    {
        var reset = 0;
        foreach (var pod in store.List(ResourceCatalog.Pods).Items)
        {
            var phase = (string?)pod["status"]?["phase"];
            if (phase is "Succeeded" or "Failed") continue;
            store.Mutate(ResourceCatalog.Pods, Namespace(pod), Name(pod), p => ResetPod(p, now), statusOnly: true);
            reset++;
        }
        foreach (var kind in new[] { ResourceCatalog.StatefulSets, ResourceCatalog.Deployments })
        {
            foreach (var workload in store.List(kind).Items)
            {
                store.Mutate(kind, Namespace(workload), Name(workload), ResetReadyCounts, statusOnly: true);
            }
        }
        return reset;
    }

    private static JsonObject ResetPod(JsonObject pod, DateTimeOffset now)
    {
        var status = pod["status"] as JsonObject ?? new JsonObject();
        pod["status"] = status;
        status["phase"] = "Pending";
        foreach (var field in RemovedPodStatus) status.Remove(field);
        var conditions = status["conditions"] as JsonArray ?? new JsonArray();
        status["conditions"] = conditions;
        foreach (var type in ResetConditions)
        {
            var condition = conditions.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);
            if (condition == null)
            {
                condition = new JsonObject { ["type"] = type };
                conditions.Add(condition);
            }
            if ((string?)condition["status"] != "False") condition["lastTransitionTime"] = ObjectStore.Timestamp(now);
            condition["status"] = "False";
            condition["reason"] = "ContainersNotReady";
            condition["message"] = "node restarted: containers not running";
        }
        return pod;
    }

    private static JsonObject ResetReadyCounts(JsonObject workload)
    {
        if (workload["status"] is not JsonObject status) return workload;
        if (status.ContainsKey("readyReplicas")) status["readyReplicas"] = 0;
        if (status.ContainsKey("availableReplicas")) status["availableReplicas"] = 0;
        return workload;
    }

    private static string? Namespace(JsonObject obj) => (string?)obj["metadata"]?["namespace"];

    private static string Name(JsonObject obj) => (string)obj["metadata"]!["name"]!;
}

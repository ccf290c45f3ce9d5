using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Controllers;

/// <summary>
/// Writes core/v1 Events as the real controllers and kubelet do (what <c>kubectl describe</c> and
/// <c>kubectl get events</c> show): the controllers' SuccessfulCreate, SuccessfulDelete,
/// ScalingReplicaSet, Completed, BackoffLimitExceeded; the scheduler's Scheduled and
/// FailedScheduling; the kubelet's Pulled, Created, Started, Killing, Failed and BackOff.
/// </summary>
public static class EventRecorder
{
    /// <summary>
    /// Records an event about <paramref name="about"/> (a stored object of <paramref name="kind"/>), with the
    /// container's <paramref name="fieldPath"/> (<c>spec.containers{NAME}</c>) for kubelet events; failures are ignored.
    /// </summary>
    public static void Record(ObjectStore store, ResourceKind kind, JsonObject about, string type, string reason, string message, string component, string? fieldPath = null)
    {
        var ns = Workloads.Namespace(about);
        var name = Workloads.Name(about);
        var now = Workloads.Now();
        var involved = new JsonObject
        {
            ["apiVersion"] = kind.ApiVersion,
            ["kind"] = kind.Kind,
            ["namespace"] = ns,
            ["name"] = name,
            ["uid"] = Workloads.Uid(about),
            ["resourceVersion"] = (string?)about["metadata"]?["resourceVersion"],
        };
        if (fieldPath != null) involved["fieldPath"] = fieldPath;
        try
        {
            store.Create(ResourceCatalog.Events, ns, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = $"{name}.{Guid.NewGuid():N}"[..Math.Min(name.Length + 17, 253)], ["namespace"] = ns },
                ["involvedObject"] = involved,
                ["type"] = type,
                ["reason"] = reason,
                ["message"] = message,
                ["source"] = new JsonObject { ["component"] = component },
                ["reportingComponent"] = component,
                ["reportingInstance"] = "",
                ["firstTimestamp"] = now,
                ["lastTimestamp"] = now,
                ["eventTime"] = null,
                ["count"] = 1,
            });
        }
        catch (ApiError)
        {
            // The namespace is being deleted: the event has nowhere to go.
        }
    }
}

using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Runtime;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Controllers;

/// <summary>
/// Passes the runtime's container reports on to the pod's sink after recording the events a
/// kubelet records for them: Pulled, Created and Started when a container starts (on every
/// restart too), Failed when it cannot start (<c>Error: MESSAGE</c>). Keeps
/// <see cref="IPodStatusSink"/> unchanged for the runtime.
/// </summary>
internal sealed class KubeletEventSink(IPodStatusSink inner, ObjectStore store, JsonObject pod) : IPodStatusSink
{
    private const string Component = "kubelet";

    public void ContainerStarted(string ns, string podName, string container, bool isInit, DateTimeOffset at)
    {
        var fieldPath = FieldPath(container, isInit);
        Record("Normal", "Pulled", $"Container image \"{ImageOf(container, isInit)}\" already present on machine", fieldPath);
        Record("Normal", "Created", $"Created container {container}", fieldPath);
        Record("Normal", "Started", $"Started container {container}", fieldPath);
        inner.ContainerStarted(ns, podName, container, isInit, at);
    }

    public void ContainerTerminated(string ns, string podName, string container, bool isInit, int exitCode, DateTimeOffset at) =>
        inner.ContainerTerminated(ns, podName, container, isInit, exitCode, at);

    public void ContainerWaiting(string ns, string podName, string container, bool isInit, string reason, string message)
    {
        // What the kubelet reports for a container it cannot create or pull (not for ordinary waits).
        if (reason is "CreateContainerConfigError" or "ErrImagePull" or "CreateContainerError")
        {
            Record("Warning", "Failed", $"Error: {message}", FieldPath(container, isInit));
        }
        inner.ContainerWaiting(ns, podName, container, isInit, reason, message);
    }

    /// <summary>Records Killing for each container of a pod being deleted.</summary>
    public static void RecordKilling(ObjectStore store, JsonObject pod)
    {
        foreach (var container in Containers(pod, isInit: false))
        {
            EventRecorder.Record(store, ResourceCatalog.Pods, pod, "Normal", "Killing", $"Stopping container {(string?)container["name"]}", Component,
                FieldPath((string?)container["name"] ?? "", isInit: false));
        }
    }

    private void Record(string type, string reason, string message, string fieldPath) =>
        EventRecorder.Record(store, ResourceCatalog.Pods, pod, type, reason, message, Component, fieldPath);

    private string? ImageOf(string container, bool isInit) =>
        Containers(pod, isInit).Where(c => (string?)c["name"] == container).Select(c => (string?)c["image"]).FirstOrDefault();

    private static IEnumerable<JsonObject> Containers(JsonObject pod, bool isInit) =>
        (pod["spec"]?[isInit ? "initContainers" : "containers"] as JsonArray ?? []).OfType<JsonObject>();

    private static string FieldPath(string container, bool isInit) => isInit ? $"spec.initContainers{{{container}}}" : $"spec.containers{{{container}}}";
}

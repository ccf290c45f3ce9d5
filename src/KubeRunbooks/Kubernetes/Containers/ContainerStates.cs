using k8s.Models;

namespace KubeRunbooks.Kubernetes.Containers;

/// <summary>Reads a named container's state from a pod's status (init containers and regular containers).</summary>
public static class ContainerStates
{
    /// <summary>The status of the named container, looked up among init containers first, or null.</summary>
    public static V1ContainerStatus? Find(V1Pod pod, string container) =>
        pod.Status?.InitContainerStatuses?.FirstOrDefault(c => c.Name == container)
        ?? pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == container);

    /// <summary>True once the container has started (running, or already terminated): its log can be read.</summary>
    public static bool HasStarted(V1Pod pod, string container) =>
        Find(pod, container) is { } s && (s.State?.Running is not null || s.State?.Terminated is not null || s.LastState?.Terminated is not null);

    /// <summary>
    /// The termination of the container's run that began at or after <paramref name="restartCountAtStart"/>:
    /// the current state when terminated, else the last state when the container has restarted since
    /// (a failed init container goes back to waiting with its exit in lastState). Null while it still runs.
    /// </summary>
    public static V1ContainerStateTerminated? Termination(V1Pod pod, string container, int restartCountAtStart)
    {
        var status = Find(pod, container);
        if (status is null) return null;
        if (status.State?.Terminated is { } now) return now;
        if (status.RestartCount > restartCountAtStart && status.LastState?.Terminated is { } last) return last;
        return null;
    }
}

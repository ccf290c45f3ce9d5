using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace KubeRunbooks.Simulator.Runtime;

/// <summary>
/// The simulated kubelet's container runtime, as the API server and the controllers see it.
/// It runs a pod's init containers (in order) and then its containers as local processes, keeps
/// each container's log, and serves <c>pods/log</c> and <c>pods/exec</c>. It knows nothing of the
/// object store: the pod controller hands it pods and receives state changes through
/// <see cref="IPodStatusSink"/>; env references are resolved through <see cref="IEnvSource"/>.
/// </summary>
public interface IPodRuntime : IAsyncDisposable
{
    /// <summary>Starts the pod (init containers first, in order, then containers). Returns at once.</summary>
    void StartPod(V1Pod pod, IPodStatusSink sink);

    /// <summary>
    /// Stops the pod as a kubelet does (the pod was deleted): each container's stop signal, up to
    /// <paramref name="gracePeriod"/> to end, then SIGKILL; then its files go. Logs stay readable until
    /// <see cref="ForgetPod"/>. A namesake started meanwhile waits for this stop before its containers start.
    /// </summary>
    Task StopPodAsync(string ns, string podName, TimeSpan gracePeriod);

    /// <summary>
    /// Completes once every container of the pods of <paramref name="ns"/> that <paramref name="which"/> selects has
    /// ended: a pod deleted from the store goes on running through its stop signal and grace period, as on a node, and
    /// a Recreate rollout must not start its new pods before then. Completes at once when none runs.
    /// </summary>
    Task WhenEndedAsync(string ns, Func<V1Pod, bool> which) => Task.CompletedTask;

    /// <summary>Drops the pod's logs and runtime state (the pod object is gone).</summary>
    void ForgetPod(string ns, string podName);

    /// <summary>Serves GET pods/{name}/log (follow, container, tailLines, previous, timestamps).</summary>
    Task HandleLogsAsync(HttpContext http, string ns, string podName, LogRequest request);

    /// <summary>Serves pods/{name}/exec: the WebSocket upgrade (v5/v4 channel protocols) or a Status on failure.</summary>
    Task HandleExecAsync(HttpContext http, string ns, string podName, ExecRequest request);

    /// <summary>
    /// Serves pods/{name}/attach (the exec request's container and stream flags, no command): the running
    /// container's output from now on. The default answers that the runtime cannot attach.
    /// </summary>
    Task HandleAttachAsync(HttpContext http, string ns, string podName, ExecRequest request) =>
        StatusResponses.WriteAsync(http, StatusResponses.BadRequest("this container runtime cannot attach to containers"));

    /// <summary>
    /// Serves pods/{name}/portforward: each connection the client forwards reaches the pod's port. The default
    /// answers that the runtime cannot forward ports.
    /// </summary>
    Task HandlePortForwardAsync(HttpContext http, string ns, string podName) =>
        StatusResponses.WriteAsync(http, StatusResponses.BadRequest("this container runtime cannot forward ports"));
}

/// <summary>Receives container state changes from the runtime (the pod controller writes pod status from them).</summary>
public interface IPodStatusSink
{
    /// <summary>A container's process started.</summary>
    void ContainerStarted(string ns, string podName, string container, bool isInit, DateTimeOffset at);

    /// <summary>A container's process ended with the exit code (reason "Completed" for 0, "Error" otherwise).</summary>
    void ContainerTerminated(string ns, string podName, string container, bool isInit, int exitCode, DateTimeOffset at);

    /// <summary>
    /// A container cannot start and stays waiting (reason CreateContainerConfigError for a missing env
    /// source, ContainerCreating for a missing volume source; the message names the object, never a value).
    /// Optional: the default ignores it.
    /// </summary>
    void ContainerWaiting(string ns, string podName, string container, bool isInit, string reason, string message) { }
}

/// <summary>Resolves env and volume references of a pod spec (ConfigMaps and Secrets in the pod's namespace).</summary>
public interface IEnvSource
{
    /// <summary>The ConfigMap's data, or null when it does not exist.</summary>
    IReadOnlyDictionary<string, string>? GetConfigMap(string ns, string name);

    /// <summary>The Secret's data, decoded, or null when it does not exist.</summary>
    IReadOnlyDictionary<string, byte[]>? GetSecret(string ns, string name);
}

/// <summary>Query options of pods/log.</summary>
public sealed record LogRequest(string? Container, bool Follow, long? TailLines, bool Previous, bool Timestamps, long? LimitBytes);

/// <summary>Query options of pods/exec.</summary>
public sealed record ExecRequest(string? Container, IReadOnlyList<string> Command, bool Stdin, bool Stdout, bool Stderr, bool Tty);

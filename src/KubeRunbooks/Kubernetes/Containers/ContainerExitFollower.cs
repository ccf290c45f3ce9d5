using k8s;
using k8s.Models;
using KubeRunbooks.Kubernetes.Watching;

namespace KubeRunbooks.Kubernetes.Containers;

/// <summary>
/// Follows a named container (for example an init container running a schema migration) from its start to its
/// exit: waits by watch until it has started, streams its log, then waits by watch for its terminated state and
/// returns the exit code with the log tail.
/// </summary>
public sealed class ContainerExitFollower
{
    private readonly IKubernetes _client;
    private readonly PodLogFollower _logs;

    /// <summary>Creates the follower over a client.</summary>
    public ContainerExitFollower(IKubernetes client)
    {
        _client = client;
        _logs = new PodLogFollower(client);
    }

    /// <summary>The timeoutSeconds of each watch request.</summary>
    public int WatchTimeoutSeconds { get; init; } = 60;

    /// <summary>Follows the container to its exit.</summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="pod">The pod name.</param>
    /// <param name="container">The container (or init container) name.</param>
    /// <param name="lineSink">Receives each log line.</param>
    /// <param name="timeout">The whole wait's limit; the timeout message names pod and container.</param>
    /// <param name="tailLines">How many last lines to keep.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The exit code, reason and log tail.</returns>
    public async Task<ContainerExit> FollowToExitAsync(string ns, string pod, string container, Action<string> lineSink, TimeSpan timeout, int tailLines = 50, CancellationToken cancellationToken = default)
    {
        // Each phase gets what is left of the one timeout, so the message names the phase that ran out.
        var started = DateTimeOffset.UtcNow;
        var loop = new WatchLoop<V1Pod>(PodSource(ns, pod)) { WatchTimeoutSeconds = WatchTimeoutSeconds };
        var tail = new LineTail(tailLines);
        var seen = await loop.WaitAsync(p => p.TryGetValue(pod, out var x) && ContainerStates.HasStarted(x, container),
            $"container {container} of pod {ns}/{pod} to start", timeout, p => Describe(p, pod, container), cancellationToken).ConfigureAwait(false);
        var restartsAtStart = ContainerStates.Find(seen[pod], container)?.RestartCount ?? 0;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(Remaining(timeout, started));
            try
            {
                await _logs.FollowAsync(ns, pod, container, lineSink, tail, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new WaitTimeoutException($"Timed out after {WatchLoop<V1Pod>.Format(timeout)} waiting for container {container} of pod {ns}/{pod} to exit (its log was still open).");
            }
        }
        V1ContainerStateTerminated? end = null;
        await loop.WaitAsync(p => p.TryGetValue(pod, out var x) && (end = ContainerStates.Termination(x, container, restartsAtStart)) is not null,
            $"container {container} of pod {ns}/{pod} to exit", Remaining(timeout, started), p => Describe(p, pod, container), cancellationToken).ConfigureAwait(false);
        return new ContainerExit(pod, container, end!.ExitCode, end.Reason, tail.Lines);
    }

    private static TimeSpan Remaining(TimeSpan timeout, DateTimeOffset started)
    {
        var left = timeout - (DateTimeOffset.UtcNow - started);
        return left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1);
    }

    private static string Describe(IReadOnlyDictionary<string, V1Pod> pods, string pod, string container)
    {
        if (!pods.TryGetValue(pod, out var p)) return "pod absent";
        var s = ContainerStates.Find(p, container);
        if (s is null) return $"pod {p.Status?.Phase ?? "Unknown"}, container not reported";
        if (s.State?.Waiting is { } w) return $"waiting: {w.Reason}";
        return s.State?.Running is not null ? "running" : "terminated";
    }

    private WatchSource<V1Pod> PodSource(string ns, string pod)
    {
        var field = $"metadata.name={pod}";
        return new(
            async ct =>
            {
                var list = await _client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: field, cancellationToken: ct).ConfigureAwait(false);
                return (list.Items.ToList(), list.Metadata?.ResourceVersion);
            },
            (rv, seconds, onError, ct) => _client.CoreV1.WatchListNamespacedPodAsync(ns, allowWatchBookmarks: true, fieldSelector: field,
                resourceVersion: rv, timeoutSeconds: seconds, onError: onError, cancellationToken: ct));
    }
}

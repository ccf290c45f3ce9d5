using k8s;

namespace KubeRunbooks.Kubernetes.Containers;

/// <summary>Follows one container's log (<c>kubectl logs -f -c</c>) line by line until the stream ends.</summary>
public sealed class PodLogFollower
{
    private readonly IKubernetes _client;

    /// <summary>Creates the follower over a client.</summary>
    public PodLogFollower(IKubernetes client) => _client = client;

    /// <summary>
    /// Streams the container's log into <paramref name="sink"/> and <paramref name="tail"/> until the server ends
    /// it (the container exited or the pod went away). Memory stays bounded: lines are not accumulated.
    /// </summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="pod">The pod name.</param>
    /// <param name="container">The container name.</param>
    /// <param name="sink">Receives each line.</param>
    /// <param name="tail">Keeps the last lines.</param>
    /// <param name="cancellationToken">Stops following.</param>
    /// <returns>How many lines were read.</returns>
    public async Task<long> FollowAsync(string ns, string pod, string container, Action<string> sink, LineTail tail, CancellationToken cancellationToken = default)
    {
        long count = 0;
        await using var stream = await _client.CoreV1.ReadNamespacedPodLogAsync(pod, ns, container: container, follow: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        try
        {
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                count++;
                tail.Add(line);
                sink(line);
            }
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            // The server closed the chunked stream abruptly (pod deleted, kubelet restart): the log ends here;
            // the caller decides the outcome from the pod or Job status, not from the stream.
        }
        return count;
    }
}

using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Kubernetes.Watching;

namespace KubeRunbooks.Kubernetes.Pods;

/// <summary>
/// A short-lived helper pod that mounts one volume (a hostPath or a PVC) at <see cref="MountPath"/> and idles, so
/// files can be read and written there by exec (tar over exec). Runs as root so owners and modes are kept. One left by
/// a killed run (same name, this tool's label) is replaced. Disposing deletes it and waits until it is gone, also when
/// the run was cancelled: call it from <c>await using</c>.
/// </summary>
public sealed class VolumePod : IAsyncDisposable
{
    /// <summary>The label that marks the helper pods this tool creates (value: the pod's purpose).</summary>
    public const string Label = "kuberunbooks.io/volume-pod";

    /// <summary>Where the volume is mounted in the helper pod.</summary>
    public const string MountPath = "/volume";

    private const string ContainerName = "helper";
    private readonly IKubernetes _client;
    private readonly TimeSpan _timeout;

    private VolumePod(IKubernetes client, string ns, string name, string purpose, TimeSpan timeout)
    {
        _client = client;
        Namespace = ns;
        Name = name;
        Purpose = purpose;
        _timeout = timeout;
    }

    /// <summary>The pod's namespace.</summary>
    public string Namespace { get; }

    /// <summary>The pod's name.</summary>
    public string Name { get; }

    /// <summary>What the pod is for (its label value), e.g. <c>storage</c>.</summary>
    public string Purpose { get; }

    /// <summary>The helper container, for exec.</summary>
    public PodContainer Container => new(Namespace, Name, ContainerName);

    /// <summary>Creates the pod and waits until its container runs; on any failure the pod is deleted again.</summary>
    /// <param name="client">The cluster.</param>
    /// <param name="ns">The namespace (a claim must be in it).</param>
    /// <param name="name">The pod's name.</param>
    /// <param name="purpose">The label value, e.g. <c>storage</c>.</param>
    /// <param name="image">The image (it needs <c>sh</c>, <c>sleep</c> and what the caller execs).</param>
    /// <param name="volume">The volume mounted at <see cref="MountPath"/>.</param>
    /// <param name="node">The node to run on (a hostPath's node), or null for any.</param>
    /// <param name="timeout">How long the pod may take to run, and to go away.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<VolumePod> StartAsync(IKubernetes client, string ns, string name, string purpose, string image, PodVolume volume,
        string? node, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var pod = new VolumePod(client, ns, name, purpose, timeout);
        await pod.RemoveLeftoverAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await client.CoreV1.CreateNamespacedPodAsync(pod.Manifest(image, volume, node), ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            await pod.WaitAsync(
                pods => pods.TryGetValue(name, out var p) && p.Status?.ContainerStatuses?.Any(c => c.Name == ContainerName && c.State?.Running is not null) == true,
                $"pod {ns}/{name} ({volume} at {MountPath}) to run", cancellationToken).ConfigureAwait(false);
            return pod;
        }
        catch
        {
            await pod.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Deletes the pod and waits until it is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        // Not the caller's token: the pod must go also when the run was cancelled.
        using var timeout = new CancellationTokenSource(_timeout);
        try
        {
            await _client.CoreV1.DeleteNamespacedPodAsync(Name, Namespace, gracePeriodSeconds: 0, cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return;
        }
        await WaitAsync(pods => !pods.ContainsKey(Name), $"pod {Namespace}/{Name} to be deleted", timeout.Token).ConfigureAwait(false);
    }

    private async Task RemoveLeftoverAsync(CancellationToken cancellationToken)
    {
        V1Pod existing;
        try
        {
            existing = await _client.CoreV1.ReadNamespacedPodAsync(Name, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return;
        }
        if (existing.Metadata.Labels?.TryGetValue(Label, out var value) != true || value != Purpose)
            throw new InvalidInputException($"Pod {Namespace}/{Name} exists and was not created by this tool: delete it, or it is in use.");
        await DisposeAsync().ConfigureAwait(false);
    }

    private V1Pod Manifest(string image, PodVolume volume, string? node) => new()
    {
        Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = Namespace, Labels = new Dictionary<string, string> { [Label] = Purpose } },
        Spec = new V1PodSpec
        {
            NodeName = node,
            RestartPolicy = "Never",
            Volumes = [volume.ToVolume("data")],
            Containers =
            [
                new V1Container
                {
                    Name = ContainerName,
                    Image = image,
                    Command = ["/bin/sh", "-c", "exec sleep infinity"],
                    SecurityContext = new V1SecurityContext { RunAsUser = 0 },
                    VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = MountPath }],
                },
            ],
        },
    };

    private Task WaitAsync(Func<IReadOnlyDictionary<string, V1Pod>, bool> done, string what, CancellationToken cancellationToken)
    {
        var field = $"metadata.name={Name}";
        var source = new WatchSource<V1Pod>(
            async ct =>
            {
                var list = await _client.CoreV1.ListNamespacedPodAsync(Namespace, fieldSelector: field, cancellationToken: ct).ConfigureAwait(false);
                return (list.Items.ToList(), list.Metadata?.ResourceVersion);
            },
            (rv, seconds, onError, ct) => _client.CoreV1.WatchListNamespacedPodAsync(Namespace, allowWatchBookmarks: true, fieldSelector: field,
                resourceVersion: rv, timeoutSeconds: seconds, onError: onError, cancellationToken: ct));
        return new WatchLoop<V1Pod>(source).WaitAsync(done, what, _timeout, cancellationToken: cancellationToken);
    }
}

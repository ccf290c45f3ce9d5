using k8s;
using k8s.Models;
using KubeRunbooks.Kubernetes.Exec;

namespace KubeRunbooks.Kubernetes.Pods;

/// <summary>
/// A short-lived helper pod that mounts one volume (a hostPath or a PVC) at <see cref="MountPath"/> and idles, so
/// files can be read and written there by exec (tar over exec). Runs as root so owners and modes are kept. Its life
/// is a <see cref="TransientPod"/>'s: one left by a killed run is replaced, and disposing deletes it and waits until
/// it is gone, also when the run was cancelled (call it from <c>await using</c>).
/// </summary>
public sealed class VolumePod : IAsyncDisposable
{
    /// <summary>Where the volume is mounted in the helper pod.</summary>
    public const string MountPath = "/volume";

    private const string ContainerName = "helper";
    private readonly TransientPod _pod;

    private VolumePod(TransientPod pod, string purpose)
    {
        _pod = pod;
        Purpose = purpose;
    }

    /// <summary>The pod's namespace.</summary>
    public string Namespace => _pod.Namespace;

    /// <summary>The pod's name.</summary>
    public string Name => _pod.Name;

    /// <summary>What the pod is for (its label value), e.g. <c>storage</c>.</summary>
    public string Purpose { get; }

    /// <summary>The helper container, for exec.</summary>
    public PodContainer Container => _pod.Container;

    /// <summary>Creates the pod and waits until it is ready; on any failure the pod is deleted again.</summary>
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
        string? node, TimeSpan timeout, CancellationToken cancellationToken) =>
        new(await TransientPod.StartAsync(client, Manifest(ns, name, image, volume, node), purpose, timeout, cancellationToken).ConfigureAwait(false), purpose);

    /// <summary>Deletes the pod and waits until it is gone.</summary>
    public ValueTask DisposeAsync() => _pod.DisposeAsync();

    private static V1Pod Manifest(string ns, string name, string image, PodVolume volume, string? node) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1PodSpec
        {
            NodeName = node,
            RestartPolicy = "Never",
            // An idle sleep has nothing to shut down cleanly.
            TerminationGracePeriodSeconds = 0,
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
}

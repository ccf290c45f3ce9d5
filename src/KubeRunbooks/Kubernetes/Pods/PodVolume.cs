using k8s.Models;

namespace KubeRunbooks.Kubernetes.Pods;

/// <summary>The volume a <see cref="VolumePod"/> mounts: a node's folder (hostPath) or a PersistentVolumeClaim.</summary>
/// <param name="HostPath">The node's folder, or null.</param>
/// <param name="ClaimName">The claim's name, or null.</param>
public sealed record PodVolume(string? HostPath, string? ClaimName)
{
    /// <summary>A node's folder (the pod must run on that node).</summary>
    public static PodVolume HostFolder(string path) => new(path, null);

    /// <summary>A PersistentVolumeClaim of the pod's namespace.</summary>
    public static PodVolume Claim(string name) => new(null, name);

    /// <summary>The pod spec's volume named <paramref name="name"/>.</summary>
    public V1Volume ToVolume(string name) => ClaimName is { } claim
        ? new V1Volume { Name = name, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim } }
        : new V1Volume { Name = name, HostPath = new V1HostPathVolumeSource { Path = HostPath, Type = "Directory" } };

    /// <inheritdoc />
    public override string ToString() => ClaimName is { } claim ? $"PVC {claim}" : $"hostPath {HostPath}";
}

using k8s.Models;

namespace KubeRunbooks.Simulator.Runtime;

/// <summary>
/// A pod's volumes as local folders: <c>ROOT/pods/NS/POD/volumes/NAME</c> for emptyDir, configMap and
/// secret volumes (fresh on each start); <c>ROOT/pvc/NS/CLAIM</c> for a PersistentVolumeClaim, shared by
/// every pod that mounts it; hostPath as <see cref="PodRuntimeOptions.HostPaths"/> maps it. The container
/// sees each at its mountPath (bind mounts, see <see cref="Bubblewrap"/>).
/// </summary>
internal sealed class VolumeLayout
{
    private readonly Dictionary<string, string> _folders = new(StringComparer.Ordinal);
    private readonly HashSet<string> _readOnly = new(StringComparer.Ordinal);

    private VolumeLayout(string podFolder) => PodFolder = podFolder;

    /// <summary>The pod's own folder (its containers' roots and its volumes).</summary>
    public string PodFolder { get; }

    /// <summary>
    /// The pod's folder under the runtime root: one per pod object (its uid), so a namesake created while the
    /// deleted pod is still terminating gets a root of its own, and a pod kept across runs keeps its files.
    /// </summary>
    public static string PodFolderOf(PodRuntimeOptions options, V1Pod pod) =>
        Path.Combine(options.RootFolder, "pods", pod.Metadata.NamespaceProperty ?? "default",
            string.IsNullOrEmpty(pod.Metadata.Uid) ? pod.Metadata.Name : $"{pod.Metadata.Name}_{pod.Metadata.Uid}");

    /// <summary>Creates the folders and writes configMap and secret files; throws <see cref="ContainerConfigException"/> for missing sources.</summary>
    public static VolumeLayout Prepare(V1Pod pod, PodRuntimeOptions options, IEnvSource source)
    {
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        var layout = new VolumeLayout(PodFolderOf(options, pod));
        var volumesFolder = Path.Combine(layout.PodFolder, "volumes");
        if (Directory.Exists(volumesFolder)) Directory.Delete(volumesFolder, recursive: true);
        Directory.CreateDirectory(volumesFolder);

        foreach (var volume in pod.Spec.Volumes ?? [])
        {
            var own = Path.Combine(volumesFolder, volume.Name);
            string folder;
            if (volume.PersistentVolumeClaim is { } claim)
                folder = Path.Combine(options.RootFolder, "pvc", ns, claim.ClaimName);
            else if (volume.HostPath is { } hostPath)
                folder = options.HostPaths.TryGetValue(hostPath.Path, out var mapped)
                    ? mapped
                    : Path.Combine(options.RootFolder, "hostpath", hostPath.Path.TrimStart('/'));
            else if (volume.ConfigMap is { } cm)
                folder = WriteConfigMap(own, ns, cm, source);
            else if (volume.Secret is { } secret)
                folder = WriteSecret(own, ns, secret, source);
            else
                folder = own; // emptyDir and anything else the simulation has no store for.
            Directory.CreateDirectory(folder);
            layout._folders[volume.Name] = folder;
            // The kubelet mounts ConfigMap and Secret projections read-only.
            if (volume.ConfigMap is not null || volume.Secret is not null) layout._readOnly.Add(volume.Name);
        }
        return layout;
    }

    /// <summary>The container's mounts as (mountPath, local folder, read-only), subPath applied.</summary>
    public IReadOnlyList<(string MountPath, string Local, bool ReadOnly)> MountsOf(V1Container container)
    {
        var mounts = new List<(string, string, bool)>();
        foreach (var mount in container.VolumeMounts ?? [])
        {
            if (!_folders.TryGetValue(mount.Name, out var folder)) continue;
            var local = string.IsNullOrEmpty(mount.SubPath) ? folder : Path.Combine(folder, mount.SubPath);
            if (!string.IsNullOrEmpty(mount.SubPath) && !File.Exists(local)) Directory.CreateDirectory(local);
            var mountPath = mount.MountPath.TrimEnd('/');
            if (mountPath.Length == 0) continue; // a volume over the whole root is not a mount a container can have
            mounts.Add((mountPath, local, mount.ReadOnlyProperty == true || _readOnly.Contains(mount.Name)));
        }
        return mounts;
    }

    private static string WriteConfigMap(string folder, string ns, V1ConfigMapVolumeSource cm, IEnvSource source)
    {
        Directory.CreateDirectory(folder);
        var data = source.GetConfigMap(ns, cm.Name);
        if (data is null)
        {
            if (cm.Optional == true) return folder;
            throw new ContainerConfigException("ContainerCreating", $"configmap \"{cm.Name}\" not found");
        }
        var bytes = data.ToDictionary(kv => kv.Key, kv => System.Text.Encoding.UTF8.GetBytes(kv.Value));
        WriteFiles(folder, bytes, cm.Items, cm.DefaultMode ?? Convert.ToInt32("644", 8), $"configmap \"{cm.Name}\"");
        return folder;
    }

    private static string WriteSecret(string folder, string ns, V1SecretVolumeSource secret, IEnvSource source)
    {
        Directory.CreateDirectory(folder);
        var data = source.GetSecret(ns, secret.SecretName);
        if (data is null)
        {
            if (secret.Optional == true) return folder;
            throw new ContainerConfigException("ContainerCreating", $"secret \"{secret.SecretName}\" not found");
        }
        // Secret files default to 0600 here (not 0644): they sit on a shared disk, not a tmpfs.
        WriteFiles(folder, new Dictionary<string, byte[]>(data), secret.Items, secret.DefaultMode ?? Convert.ToInt32("600", 8),
            $"secret \"{secret.SecretName}\"");
        return folder;
    }

    private static void WriteFiles(string folder, IDictionary<string, byte[]> data, IList<V1KeyToPath>? items, int mode, string what)
    {
        var files = items is { Count: > 0 }
            ? items.Select(item => data.TryGetValue(item.Key, out var value)
                ? (item.Path, value, item.Mode ?? mode)
                : throw new ContainerConfigException("ContainerCreating", $"{what} has no key {item.Key}"))
            : data.Select(kv => (kv.Key, kv.Value, mode));
        foreach (var (relative, value, fileMode) in files)
        {
            var path = Path.Combine(folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, value);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)(fileMode & 0x1FF));
        }
    }
}

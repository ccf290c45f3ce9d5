namespace KubeRunbooks.Simulator.Runtime;

/// <summary>
/// A container's root filesystem: a folder of the pod (<c>POD/containers/NAME/root</c>) that is the container's
/// <c>/</c>, writable and kept for the pod's life (its <c>/tmp</c>, <c>/var</c>, <c>/root</c>, <c>/run</c>, ...),
/// with the machine's <c>/usr</c> (and the merged <c>/bin</c>, <c>/lib</c>, <c>/sbin</c>) and the entries of its
/// <c>/etc</c> bound read-only as the container's "image". <c>/etc/hosts</c> and <c>/etc/hostname</c> are the
/// container's own.
/// </summary>
internal sealed class ContainerRoot
{
    // Entries of the machine's /etc a container never sees: its own files, and the machine's secrets.
    private static readonly HashSet<string> OwnOrHidden = new(StringComparer.Ordinal)
        { "hosts", "hostname", "resolv.conf", "shadow", "shadow-", "gshadow", "gshadow-", "subuid", "subgid", "ssh" };

    private ContainerRoot(string folder) => Folder = folder;

    /// <summary>The folder that is the container's <c>/</c>.</summary>
    public string Folder { get; }

    /// <summary>Creates (or reuses) the root of a container of the pod folder.</summary>
    public static ContainerRoot Prepare(string podFolder, string container, string hostname, string hosts)
    {
        var root = new ContainerRoot(Path.Combine(podFolder, "containers", container, "root"));
        foreach (var (dir, mode) in new[] { ("tmp", "1777"), ("var/tmp", "1777"), ("var/lib", "755"), ("var/log", "755"), ("var/cache", "755"),
                     ("run", "755"), ("root", "700"), ("home", "755"), ("opt", "755"), ("srv", "755"), ("mnt", "755"), ("etc", "755") })
        {
            var path = Path.Combine(root.Folder, dir);
            Directory.CreateDirectory(path);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(mode, 8));
        }
        foreach (var (link, target) in new[] { ("bin", "usr/bin"), ("sbin", "usr/sbin"), ("lib", "usr/lib"), ("lib64", "usr/lib64"), ("var/run", "../run") })
            EnsureSymlink(Path.Combine(root.Folder, link), target);
        foreach (var entry in Directory.EnumerateFileSystemEntries("/etc"))
        {
            var info = new FileInfo(entry);
            if (info.LinkTarget is { } target && !OwnOrHidden.Contains(info.Name)) EnsureSymlink(Path.Combine(root.Folder, "etc", info.Name), target);
        }
        File.WriteAllText(Path.Combine(root.Folder, "etc", "hostname"), hostname + "\n");
        root.WriteHosts(hosts);
        return root;
    }

    /// <summary>
    /// Makes the mount points of the container's volumes in its root, parents 0755 (bwrap would make missing
    /// parents 0700, which a non-root server could not pass through); <c>/usr</c> is the image's and left alone.
    /// </summary>
    public void PrepareMountPoints(IEnumerable<(string MountPath, string Local, bool ReadOnly)> mounts)
    {
        foreach (var (mountPath, local, _) in mounts)
        {
            if (mountPath == "/usr" || mountPath.StartsWith("/usr/", StringComparison.Ordinal)) continue;
            var parts = mountPath.Trim('/').Split('/');
            var path = Folder;
            for (var i = 0; i < parts.Length - 1; i++)
            {
                path = Path.Combine(path, parts[i]);
                if (new FileInfo(path).LinkTarget is not null || Directory.Exists(path)) continue;
                Directory.CreateDirectory(path);
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("755", 8));
            }
            var point = Path.Combine(Folder, mountPath.TrimStart('/'));
            if (File.Exists(local) && !File.Exists(point) && !Directory.Exists(point)) File.WriteAllBytes(point, []);
            else if (Directory.Exists(local) && !Directory.Exists(point) && !File.Exists(point)) Directory.CreateDirectory(point);
        }
    }

    /// <summary>Rewrites the container's <c>/etc/hosts</c> in place.</summary>
    public void WriteHosts(string hosts) => File.WriteAllText(Path.Combine(Folder, "etc", "hosts"), hosts);

    /// <summary>
    /// The bwrap options that make this folder the root with the machine's binaries read-only; an <c>/etc</c>
    /// entry that holds one of <paramref name="mountPaths"/> is left to the container, so the mount point can be made.
    /// </summary>
    public IEnumerable<string> BindArguments(IEnumerable<string> mountPaths)
    {
        var paths = mountPaths.ToList();
        yield return "--bind";
        yield return Folder;
        yield return "/";
        yield return "--ro-bind";
        yield return "/usr";
        yield return "/usr";
        foreach (var entry in Directory.EnumerateFileSystemEntries("/etc").Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(entry);
            if (OwnOrHidden.Contains(info.Name) || info.LinkTarget is not null) continue;
            if (paths.Any(p => p == entry || p.StartsWith(entry + "/", StringComparison.Ordinal))) continue;
            yield return "--ro-bind";
            yield return entry;
            yield return entry;
        }
    }

    private static void EnsureSymlink(string path, string target)
    {
        if (new FileInfo(path).LinkTarget is not null || Directory.Exists(path) || File.Exists(path)) return;
        File.CreateSymbolicLink(path, target);
    }
}

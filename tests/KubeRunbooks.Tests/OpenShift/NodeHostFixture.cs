using System.Diagnostics;

namespace KubeRunbooks.Tests.OpenShift;

/// <summary>
/// A node host's filesystem as seed 003 lists it (its `find` output, plus <c>/etc/sysconfig/docker</c> from its
/// table, a CNI config and a dpkg status file standing for the package database), with chosen modes, owners
/// and times so that an archive can be compared with it.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static class NodeHostFixture
{
    /// <summary>The host name in <c>etc/hostname</c>.</summary>
    public const string HostName = "app-node-0.example.com";

    /// <summary>Every file of the seed's listing (without packages.txt), plus the ones its table names.</summary>
    public static readonly string[] Files =
    [
        "etc/sysconfig/atomic-openshift-node",
        "etc/sysconfig/flanneld",
        "etc/sysconfig/iptables",
        "etc/sysconfig/docker",
        "etc/sysconfig/docker-network",
        "etc/sysconfig/docker-storage",
        "etc/sysconfig/docker-storage-setup",
        "etc/sysconfig/docker-storage-setup.rpmnew",
        "etc/origin/node/system:node:app-node-0.example.com.crt",
        "etc/origin/node/system:node:app-node-0.example.com.key",
        "etc/origin/node/ca.crt",
        "etc/origin/node/system:node:app-node-0.example.com.kubeconfig",
        "etc/origin/node/server.crt",
        "etc/origin/node/server.key",
        "etc/origin/node/node-dnsmasq.conf",
        "etc/origin/node/resolv.conf",
        "etc/origin/node/node-config.yaml",
        "etc/origin/node/flannel.etcd-client.key",
        "etc/origin/node/flannel.etcd-client.csr",
        "etc/origin/node/flannel.etcd-client.crt",
        "etc/origin/node/flannel.etcd-ca.crt",
        "etc/origin/cloudprovider/openstack.conf",
        "etc/pki/ca-trust/source/anchors/openshift-ca.crt",
        "etc/pki/ca-trust/source/anchors/registry-ca.crt",
        "etc/dnsmasq.conf",
        "etc/dnsmasq.d/origin-dns.conf",
        "etc/dnsmasq.d/origin-upstream-dns.conf",
        "etc/dnsmasq.d/node-dnsmasq.conf",
        "etc/cni/net.d/80-openshift-network.conf",
    ];

    /// <summary>Files on the host that the backup must not take.</summary>
    public static readonly string[] Unrelated = ["etc/passwd", "etc/sysconfig/network", "etc/hostname", "var/lib/dpkg/status"];

    /// <summary>The file that gets another owner (uid/gid 1234) when the tests run as root.</summary>
    public const string OwnedFile = "etc/origin/node/node-config.yaml";

    /// <summary>The modification time every fixture file gets.</summary>
    public static readonly DateTime MTime = new(2019, 3, 14, 15, 9, 26, DateTimeKind.Utc);

    /// <summary>The packages in the dpkg status file, in the order <c>dpkg-query -W | sort</c> gives.</summary>
    public static readonly string[] Packages = ["atomic-openshift-node\t3.11.0", "docker\t1.13.1", "zlib\t1.2.7"];

    /// <summary>Writes the filesystem into <paramref name="root"/>, leaving out every path starting with one of <paramref name="without"/>.</summary>
    public static void Write(string root, params string[] without)
    {
        foreach (var file in Files.Concat(Unrelated).Where(f => !without.Any(f.StartsWith)))
        {
            var path = Path.Combine(root, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file == "etc/hostname" ? HostName + "\n" : ContentOf(file));
            File.SetUnixFileMode(path, ModeOf(file));
        }
        File.WriteAllText(Path.Combine(root, "var/lib/dpkg/status"), string.Join("\n", Packages.Reverse().Select(p =>
        {
            var (name, version) = (p.Split('\t')[0], p.Split('\t')[1]);
            return $"Package: {name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: {version}\nDescription: {name}\n";
        })));
        if (Environment.UserName == "root" && !without.Any(OwnedFile.StartsWith)) Run("chown", "1234:1234", Path.Combine(root, OwnedFile));
        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(entry, MTime);
    }

    /// <summary>The content a fixture file has (unique per file).</summary>
    public static string ContentOf(string file) => $"# {file}\n{string.Concat(Enumerable.Repeat(file + " ", 40))}\n";

    /// <summary>The mode a fixture file has: keys and the kubeconfig private, the rest world-readable.</summary>
    public static UnixFileMode ModeOf(string file) =>
        file.EndsWith(".key", StringComparison.Ordinal) || file.EndsWith(".kubeconfig", StringComparison.Ordinal)
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite
            : file.Contains("iptables", StringComparison.Ordinal)
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>The numeric owner of a file (<c>stat -c %u</c>).</summary>
    public static int OwnerOf(string path) => int.Parse(Run("stat", "-c", "%u", path).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private static string Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.EqualTo(0), $"{program} {string.Join(' ', args)}");
        return output;
    }
}

using System.Net;
using KubeRunbooks.Errors;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.OpenShift;

/// <summary>What a <c>NodeConfigBackup</c> run reads and writes, validated from its arguments before anything is done.</summary>
/// <param name="Node">The node read through a debug pod, or null.</param>
/// <param name="Root">The local filesystem root read, or null with a node.</param>
/// <param name="HostName">The host name the archive is named after.</param>
/// <param name="When">The run's time (UTC), whose date names the archive.</param>
/// <param name="Folder">The backup folder.</param>
public sealed record NodeConfigRequest(string? Node, string? Root, string HostName, DateTimeOffset When, string Folder)
{
    /// <summary>The archive path: <c>FOLDER/&lt;hostname&gt;-&lt;yyyyMMdd&gt;.tar.gz</c>, as the seed names it.</summary>
    public string ArchivePath => Path.Combine(Folder, $"{HostName}-{When:yyyyMMdd}.tar.gz");

    /// <summary>Reads and checks <c>--node</c> and <c>--root</c>.</summary>
    /// <exception cref="InvalidInputException">Both given, an empty value, or a root that is not a folder.</exception>
    public static NodeConfigRequest From(RunbookContext context)
    {
        var node = context.Argument("node");
        var root = context.Argument("root");
        if (node is not null && root is not null) throw new InvalidInputException("--node and --root exclude each other: give one (or neither, for this host).");
        if (node is not null && !Clusters.KubernetesNames.IsSubdomain(node)) throw new InvalidInputException($"--node='{node}' is not a node name.");
        var when = DateTimeOffset.UtcNow;
        var folder = Path.GetFullPath(context.Profile.Backups.Folder, context.Environment.WorkingDirectory.FullPath);
        if (node is not null) return new NodeConfigRequest(node, null, node, when, folder);

        var fullRoot = Path.GetFullPath(root ?? "/", context.Environment.WorkingDirectory.FullPath);
        if (!Directory.Exists(fullRoot)) throw new InvalidInputException($"--root={root} is not a folder.");
        return new NodeConfigRequest(null, fullRoot, HostNameOf(fullRoot), when, folder);
    }

    // `hostname` on the host itself; a mounted disk's own /etc/hostname names the host it belongs to.
    private static string HostNameOf(string root)
    {
        var file = Path.Combine(root, "etc", "hostname");
        var name = root != "/" && File.Exists(file) ? File.ReadLines(file).FirstOrDefault()?.Trim() : null;
        name = string.IsNullOrEmpty(name) ? Dns.GetHostName() : name;
        if (name.Contains('/') || name.Contains('\0') || name is "." or "..") throw new InvalidInputException($"The host name '{name}' cannot name a file.");
        return name;
    }
}

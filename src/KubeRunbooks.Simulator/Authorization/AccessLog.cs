using System.Text.Json.Nodes;

namespace KubeRunbooks.Simulator.Authorization;

/// <summary>
/// In RBAC mode, one JSON line per resource request with its authorization attributes and the decision (reads
/// included, administrator's too), as an audit policy at level Metadata records them: what a target asks of the
/// cluster, read to find the least rules it needs, and what was refused.
/// </summary>
public sealed class AccessLog : IDisposable
{
    private readonly object _gate = new();
    private readonly StreamWriter _writer;

    /// <summary>Opens (appends to) the log file, creating its folder.</summary>
    public AccessLog(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        _writer = new StreamWriter(stream) { AutoFlush = true };
    }

    /// <summary>The log file.</summary>
    public string Path { get; }

    /// <summary>Appends one request's attributes and whether it was allowed.</summary>
    public void Write(AccessAttributes attributes, bool allowed)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var line = new JsonObject
        {
            ["user"] = (attributes.User ?? RequestUser.Admin).Name,
            ["verb"] = attributes.Verb,
            ["apiGroup"] = attributes.Group,
            ["resource"] = attributes.Resource,
            ["subresource"] = attributes.Subresource,
            ["namespace"] = attributes.Namespace,
            ["name"] = attributes.Name,
            ["allowed"] = allowed,
            ["time"] = DateTimeOffset.UtcNow.UtcDateTime.ToString("O"),
        };
        lock (_gate) _writer.WriteLine(line.ToJsonString());
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        lock (_gate) _writer.Dispose();
    }
}

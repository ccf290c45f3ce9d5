using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Audit;

namespace KubeRunbooks.Simulator.Authorization;

/// <summary>
/// In RBAC mode, one JSON line per resource request with its authorization attributes and the decision (reads
/// included, administrator's too), as an audit policy at level Metadata records them: what a target asks of the
/// cluster, read to find the least rules it needs, and what was refused.
/// </summary>
public sealed class AccessLog : IDisposable
{
    private readonly JsonLinesFile _file;

    /// <summary>Opens (appends to) the log file, creating its folder.</summary>
    public AccessLog(string path) => _file = new JsonLinesFile(path);

    /// <summary>The log file.</summary>
    public string Path => _file.Path;

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
        _file.Append(line.ToJsonString());
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _file.Dispose();
}

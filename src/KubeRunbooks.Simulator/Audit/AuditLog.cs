using System.Text.Json.Nodes;

namespace KubeRunbooks.Simulator.Audit;

/// <summary>
/// The audit log of the simulated API server: one JSON line per state-changing request, in the
/// shape of the API server's audit events (audit.k8s.io/v1 Event, stage ResponseComplete),
/// flushed line by line so a reader sees a request's line as soon as its response is sent.
/// Secret values (data, stringData, patch values on Secrets) are redacted.
/// </summary>
public sealed class AuditLog : IDisposable
{
    private readonly object _gate = new();
    private readonly StreamWriter _writer;

    /// <summary>Opens (appends to) the log file, creating its folder.</summary>
    public AuditLog(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        _writer = new StreamWriter(stream) { AutoFlush = true };
    }

    /// <summary>The log file.</summary>
    public string Path { get; }

    /// <summary>Appends one event.</summary>
    public void Write(AuditEntry entry)
    {
        var objectRef = new JsonObject
        {
            ["resource"] = entry.Resource,
            ["namespace"] = entry.Namespace,
            ["name"] = entry.Name,
            ["apiGroup"] = entry.ApiGroup,
            ["apiVersion"] = entry.ApiVersion,
        };
        if (entry.Subresource != null) objectRef["subresource"] = entry.Subresource;
        var line = new JsonObject
        {
            ["kind"] = "Event",
            ["apiVersion"] = "audit.k8s.io/v1",
            ["level"] = "Request",
            ["auditID"] = Guid.NewGuid().ToString(),
            ["stage"] = "ResponseComplete",
            ["requestURI"] = entry.RequestUri,
            ["verb"] = entry.Verb,
            ["user"] = new JsonObject { ["username"] = "simulated-admin" },
            ["userAgent"] = entry.UserAgent,
            ["objectRef"] = objectRef,
            ["responseStatus"] = new JsonObject { ["code"] = entry.Code },
            ["requestObject"] = entry.Resource == "secrets" ? SecretRedaction.Redact(entry.RequestBody) : entry.RequestBody?.DeepClone(),
            ["requestReceivedTimestamp"] = entry.Received.UtcDateTime.ToString("O"),
            ["stageTimestamp"] = DateTimeOffset.UtcNow.UtcDateTime.ToString("O"),
        };
        lock (_gate) _writer.WriteLine(Api.WireJson.Write(line));
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        lock (_gate) _writer.Dispose();
    }
}

/// <summary>What the audit log records of one request.</summary>
public sealed class AuditEntry
{
    /// <summary>create, update, patch, delete.</summary>
    public required string Verb { get; init; }

    /// <summary>Plural resource (statefulsets).</summary>
    public required string Resource { get; init; }

    /// <summary>API group ("" for core).</summary>
    public required string ApiGroup { get; init; }

    /// <summary>API version (v1).</summary>
    public required string ApiVersion { get; init; }

    /// <summary>scale, status, exec..., or null.</summary>
    public string? Subresource { get; init; }

    /// <summary>Namespace, or null.</summary>
    public string? Namespace { get; init; }

    /// <summary>Object name (for a create, the name given or generated), or null.</summary>
    public string? Name { get; set; }

    /// <summary>The request body (object or patch) as JSON, or null.</summary>
    public JsonNode? RequestBody { get; set; }

    /// <summary>Path and query of the request.</summary>
    public required string RequestUri { get; init; }

    /// <summary>The client's User-Agent.</summary>
    public string? UserAgent { get; init; }

    /// <summary>When the request arrived.</summary>
    public DateTimeOffset Received { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The response code.</summary>
    public int Code { get; set; }
}

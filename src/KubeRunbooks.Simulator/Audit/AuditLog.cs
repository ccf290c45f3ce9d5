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
    private readonly JsonLinesFile _file;

    /// <summary>Opens (appends to) the log file, creating its folder.</summary>
    public AuditLog(string path) => _file = new JsonLinesFile(path);

    /// <summary>The log file.</summary>
    public string Path => _file.Path;

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
        _file.Append(Api.WireJson.Write(line));
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _file.Dispose();
}

using System.Text.Json.Nodes;

namespace KubeRunbooks.Simulator.Audit;

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

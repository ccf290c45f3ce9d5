using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Patching;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Api;

/// <summary>The four patch types of the API, chosen by the request's Content-Type.</summary>
internal enum PatchKind
{
    Json,
    Merge,
    StrategicMerge,
    Apply,
}

/// <summary>Chooses and applies a patch by content type.</summary>
internal static class PatchApplier
{
    /// <summary>The patch type for a Content-Type; 415 <see cref="ApiError"/> for any other.</summary>
    public static PatchKind KindOf(string? contentType)
    {
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        return mediaType switch
        {
            "application/json-patch+json" => PatchKind.Json,
            "application/merge-patch+json" => PatchKind.Merge,
            "application/strategic-merge-patch+json" => PatchKind.StrategicMerge,
            "application/apply-patch+yaml" => PatchKind.Apply,
            _ => throw new ApiError(415, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json"),
        };
    }

    /// <summary>Parses the patch body for its type (YAML allowed for apply).</summary>
    public static JsonNode? Parse(PatchKind kind, string body)
    {
        if (kind == PatchKind.Apply) return YamlJson.Parse(body);
        try
        {
            return JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw ApiError.BadRequest($"error decoding patch: {e.Message}");
        }
    }

    /// <summary>Applies a parsed patch to a copy of <paramref name="current"/>.</summary>
    public static JsonObject Apply(PatchKind kind, JsonObject current, JsonNode? patch)
    {
        var result = kind switch
        {
            PatchKind.Json => JsonPatch.Apply(current, patch),
            PatchKind.Merge => MergePatch.Apply(current, patch),
            // Server-side apply without field ownership: the applied configuration merges as a strategic patch.
            _ => StrategicMergePatch.Apply(current, patch),
        };
        return result as JsonObject ?? throw ApiError.BadRequest("the patch did not produce an object");
    }
}

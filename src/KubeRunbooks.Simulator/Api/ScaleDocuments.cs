using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Api;

/// <summary>The autoscaling/v1 Scale view of a StatefulSet or Deployment.</summary>
internal static class ScaleDocuments
{
    /// <summary>The Scale of a workload object.</summary>
    public static JsonObject From(JsonObject workload)
    {
        var meta = workload["metadata"]!;
        var scaleMeta = new JsonObject();
        foreach (var field in new[] { "name", "namespace", "uid", "resourceVersion", "creationTimestamp" })
        {
            if (meta[field] != null) scaleMeta[field] = meta[field]!.DeepClone();
        }
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = scaleMeta,
            ["spec"] = new JsonObject { ["replicas"] = JsonNumbers.AsLong(workload["spec"]?["replicas"]) ?? 1 },
            ["status"] = new JsonObject
            {
                ["replicas"] = JsonNumbers.AsLong(workload["status"]?["replicas"]) ?? 0,
                ["selector"] = SelectorString(workload["spec"]?["selector"]),
            },
        };
    }

    /// <summary>The replica count a Scale asks for; 422 when missing or negative.</summary>
    public static long Replicas(ResourceKind kind, string name, JsonObject scale)
    {
        var node = scale["spec"]?["replicas"];
        var replicas = node is null ? 0 : JsonNumbers.AsLong(node)
            ?? throw ApiError.BadRequest($"Scale in version \"v1\" cannot be handled as a Scale: json: cannot unmarshal {node.GetValueKind().ToString().ToLowerInvariant()} into Go struct field ScaleSpec.spec.replicas of type int32");
        if (replicas < 0) throw ApiError.Invalid(kind, name, "spec.replicas", $"Invalid value: {replicas}: must be greater than or equal to 0");
        return replicas;
    }

    private static string SelectorString(JsonNode? selector)
    {
        // A DeploymentConfig's selector is a plain label map, a Deployment's a LabelSelector.
        if ((selector?["matchLabels"] ?? selector) is not JsonObject labels) return "";
        return string.Join(",", labels.Select(p => $"{p.Key}={(string?)p.Value}"));
    }
}

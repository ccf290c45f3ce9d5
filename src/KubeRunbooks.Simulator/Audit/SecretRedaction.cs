using System.Text.Json.Nodes;

namespace KubeRunbooks.Simulator.Audit;

/// <summary>Replaces Secret values in a request body (object, merge patch or JSON patch) with a marker, keeping the keys.</summary>
internal static class SecretRedaction
{
    private const string Marker = "<redacted>";

    public static JsonNode? Redact(JsonNode? body)
    {
        if (body is null) return null;
        var copy = body.DeepClone();
        Walk(copy);
        return copy;
    }

    private static void Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (key is "data" or "stringData" && value is JsonObject values)
                    {
                        foreach (var entry in values.Select(p => p.Key).ToList()) values[entry] = Marker;
                    }
                    else if (key == "value" && obj.ContainsKey("op"))
                    {
                        obj["value"] = Marker;
                    }
                    else if (key == "last-applied-configuration" || key == "kubectl.kubernetes.io/last-applied-configuration")
                    {
                        obj[key] = Marker;
                    }
                    else
                    {
                        Walk(value);
                    }
                }
                break;
            case JsonArray array:
                foreach (var item in array) Walk(item);
                break;
        }
    }
}

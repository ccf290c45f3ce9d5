using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeRunbooks.Simulator.Store;

/// <summary>
/// Reads numbers from JSON nodes whatever their origin (parsed text or values set from int or
/// long in code): a plain cast fails on a node created from another numeric type.
/// </summary>
public static class JsonNumbers
{
    /// <summary>The node's integer value, or null when it is missing or not an integer.</summary>
    public static long? AsLong(JsonNode? node)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number) return null;
        return long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var result) ? result : null;
    }
}

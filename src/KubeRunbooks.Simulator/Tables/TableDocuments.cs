using System.Globalization;
using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Tables;

/// <summary>
/// The meta.k8s.io/v1 Table that <c>kubectl get</c> asks for, so it prints the columns a real
/// cluster shows (READY, STATUS, RESTARTS for pods...) instead of NAME and AGE only.
/// </summary>
internal static class TableDocuments
{
    /// <summary>The content type of a Table answer.</summary>
    public const string ContentType = "application/json;as=Table;v=v1;g=meta.k8s.io";

    /// <summary>True when the Accept header asks for a meta.k8s.io/v1 Table.</summary>
    public static bool Wanted(string? accept) =>
        accept != null && accept.Split(',').Select(a => a.Split(';').Select(p => p.Trim()).ToHashSet())
            .Any(p => p.Contains("as=Table") && p.Contains("v=v1") && p.Contains("g=meta.k8s.io"));

    /// <summary>The table of the objects; <paramref name="includeObject"/> is None, Metadata (default) or Object.</summary>
    public static JsonObject Build(ResourceKind kind, IEnumerable<JsonObject> objects, long version, string? continueToken, string? includeObject)
    {
        var columns = TableColumns.For(kind);
        var now = DateTimeOffset.UtcNow;
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var row = new JsonObject { ["cells"] = new JsonArray(columns.Select(c => c.Cell(obj, now)?.DeepClone()).ToArray()) };
            if (includeObject == "Object")
            {
                var full = (JsonObject)obj.DeepClone();
                full["kind"] = kind.Kind;
                full["apiVersion"] = kind.ApiVersion;
                row["object"] = full;
            }
            else if (includeObject != "None")
            {
                row["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = obj["metadata"]?.DeepClone(),
                };
            }
            rows.Add(row);
        }
        var metadata = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) };
        if (continueToken != null) metadata["continue"] = continueToken;
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = new JsonArray(columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Name == "Name" ? "name" : "",
                ["description"] = c.Name,
                ["priority"] = c.Priority,
            }).ToArray()),
            ["rows"] = rows,
        };
    }
}

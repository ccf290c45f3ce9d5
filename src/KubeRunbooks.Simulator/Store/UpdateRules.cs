using System.Text.Json.Nodes;

namespace KubeRunbooks.Simulator.Store;

/// <summary>
/// What a real API server refuses to change on update, kind by kind: a StatefulSet's spec beyond
/// replicas, template, updateStrategy and a few others; a Job's template and selector; the data of
/// an immutable Secret or ConfigMap; and the deletion of the namespaces every cluster keeps.
/// </summary>
internal static class UpdateRules
{
    private static readonly HashSet<string> StatefulSetMutable =
        ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"];

    private static readonly HashSet<string> ProtectedNamespaces = ["default", "kube-system", "kube-public"];

    public static void CheckUpdate(ResourceKind kind, string name, JsonObject current, JsonObject next)
    {
        if (kind == ResourceCatalog.StatefulSets)
        {
            var before = current["spec"] as JsonObject ?? new JsonObject();
            var after = next["spec"] as JsonObject ?? new JsonObject();
            var changed = before.Select(p => p.Key).Union(after.Select(p => p.Key))
                .Where(k => !StatefulSetMutable.Contains(k) && !JsonNode.DeepEquals(before[k], after[k]));
            if (changed.Any())
            {
                throw Forbidden(kind, name, "spec",
                    "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
            }
        }
        else if (kind == ResourceCatalog.Jobs)
        {
            foreach (var field in new[] { "template", "selector", "completions" })
            {
                if (!JsonNode.DeepEquals(current["spec"]?[field], next["spec"]?[field]))
                {
                    throw ApiError.Invalid(kind, name, $"spec.{field}", "Invalid value: field is immutable");
                }
            }
        }
        else if ((kind == ResourceCatalog.Secrets || kind == ResourceCatalog.ConfigMaps) && (current["immutable"] as JsonValue)?.GetValue<bool>() == true)
        {
            foreach (var field in new[] { "data", "binaryData", "immutable" })
            {
                if (!JsonNode.DeepEquals(current[field], next[field]))
                {
                    throw Forbidden(kind, name, field, "field is immutable when `immutable` is set");
                }
            }
        }
    }

    public static void CheckDelete(ResourceKind kind, string name)
    {
        if (kind == ResourceCatalog.Namespaces && ProtectedNamespaces.Contains(name))
        {
            throw new ApiError(403, "Forbidden", $"namespaces \"{name}\" is forbidden: this namespace may not be deleted",
                new JsonObject { ["name"] = name, ["kind"] = "namespaces" });
        }
    }

    private static ApiError Forbidden(ResourceKind kind, string name, string field, string message)
    {
        var details = new JsonObject
        {
            ["name"] = name,
            ["group"] = kind.Group,
            ["kind"] = kind.Kind,
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueForbidden", ["message"] = $"Forbidden: {message}", ["field"] = field }),
        };
        var qualified = kind.Group.Length == 0 ? kind.Kind : $"{kind.Kind}.{kind.Group}";
        return new ApiError(422, "Invalid", $"{qualified} \"{name}\" is invalid: {field}: Forbidden: {message}", details);
    }
}

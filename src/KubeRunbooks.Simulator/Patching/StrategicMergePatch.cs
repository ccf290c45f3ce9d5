using System.Text.Json.Nodes;

namespace KubeRunbooks.Simulator.Patching;

/// <summary>
/// Strategic merge patch for the fields of the kinds the simulated cluster serves: lists of
/// containers, initContainers, env, volumes, volumeMounts, ports, imagePullSecrets, conditions
/// and ownerReferences are merged by their key; other lists are replaced. Directives kubectl
/// sends are honoured: <c>$patch: delete|replace|merge</c>, <c>$setElementOrder/...</c>,
/// <c>$retainKeys</c> and <c>$deleteFromPrimitiveList/...</c>.
/// </summary>
public static class StrategicMergePatch
{
    private static readonly Dictionary<string, string> MergeKeys = new()
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["env"] = "name",
        ["volumes"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["imagePullSecrets"] = "name",
        ["conditions"] = "type",
        ["ownerReferences"] = "uid",
        ["hostAliases"] = "ip",
        ["topologySpreadConstraints"] = "topologyKey",
        ["containerStatuses"] = "name",
        ["initContainerStatuses"] = "name",
    };

    /// <summary>Applies the patch to a copy of the target and returns it.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch) => MergeObject(target, patch);

    private static JsonNode? MergeObject(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject) return patch?.DeepClone();
        var directive = (string?)(patchObject["$patch"] as JsonValue);
        if (directive == "replace")
        {
            var replaced = (JsonObject)patchObject.DeepClone();
            replaced.Remove("$patch");
            return replaced;
        }
        if (directive == "delete") return null;

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        if (patchObject["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => (string?)k).ToHashSet();
            foreach (var key in result.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList()) result.Remove(key);
        }
        foreach (var (key, value) in patchObject)
        {
            if (key is "$patch" or "$retainKeys" || key.StartsWith("$setElementOrder/", StringComparison.Ordinal)) continue;
            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var field = key["$deleteFromPrimitiveList/".Length..];
                if (result[field] is JsonArray list && value is JsonArray remove)
                {
                    foreach (var item in list.Where(i => remove.Any(r => JsonNode.DeepEquals(r, i))).ToList()) list.Remove(item);
                }
                continue;
            }
            if (value is null) { result.Remove(key); continue; }
            if (value is JsonArray patchList)
            {
                result[key] = MergeList(key, result[key] as JsonArray, patchList);
                continue;
            }
            var merged = MergeObject(result[key], value);
            if (merged is null) result.Remove(key);
            else result[key] = merged;
        }
        return result;
    }

    private static JsonArray MergeList(string field, JsonArray? target, JsonArray patch)
    {
        var mergeKey = MergeKeyFor(field, patch, target);
        if (mergeKey is null || target is null)
        {
            var replaced = new JsonArray();
            foreach (var item in patch)
            {
                if (item is JsonObject o && (string?)(o["$patch"] as JsonValue) == "delete") continue;
                replaced.Add(StripDirectives(item));
            }
            return replaced;
        }
        if (patch.Count == 1 && patch[0] is JsonObject only && (string?)(only["$patch"] as JsonValue) == "replace" && only.Count == 1)
        {
            return new JsonArray();
        }
        var result = (JsonArray)target.DeepClone();
        foreach (var item in patch)
        {
            if (item is not JsonObject patchItem) continue;
            var keyValue = patchItem[mergeKey];
            var existing = result.OfType<JsonObject>().FirstOrDefault(o => JsonNode.DeepEquals(o[mergeKey], keyValue));
            if ((string?)(patchItem["$patch"] as JsonValue) == "delete")
            {
                if (existing != null) result.Remove(existing);
                continue;
            }
            if (existing == null)
            {
                result.Add(StripDirectives(patchItem));
                continue;
            }
            var index = result.IndexOf(existing);
            result[index] = MergeObject(existing, patchItem);
        }
        return result;
    }

    private static string? MergeKeyFor(string field, JsonArray patch, JsonArray? target)
    {
        if (field == "ports")
        {
            // Container ports merge on containerPort, Service ports on port.
            var sample = patch.OfType<JsonObject>().Concat(target?.OfType<JsonObject>() ?? []).FirstOrDefault();
            return sample?["containerPort"] != null ? "containerPort" : "port";
        }
        return MergeKeys.GetValueOrDefault(field);
    }

    private static JsonNode? StripDirectives(JsonNode? node)
    {
        if (node is not JsonObject o) return node?.DeepClone();
        return MergeObject(new JsonObject(), o);
    }
}

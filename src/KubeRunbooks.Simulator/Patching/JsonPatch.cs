using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Patching;

/// <summary>JSON patch (RFC 6902): add, remove, replace, move, copy and test on JSON pointers.</summary>
public static class JsonPatch
{
    /// <summary>Applies the operations to a copy of the target; a failing operation throws a 422 <see cref="ApiError"/>.</summary>
    public static JsonNode Apply(JsonNode target, JsonNode? patch)
    {
        if (patch is not JsonArray operations) throw ApiError.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        var root = new JsonObject { ["doc"] = target.DeepClone() };
        foreach (var operation in operations)
        {
            var op = (string?)operation?["op"];
            var path = (string?)operation?["path"] ?? throw Failed("missing path");
            switch (op)
            {
                case "add": Add(root, path, operation!["value"]?.DeepClone()); break;
                case "remove": Remove(root, path); break;
                case "replace": Remove(root, path); Add(root, path, operation!["value"]?.DeepClone()); break;
                case "move":
                {
                    var from = (string?)operation!["from"] ?? throw Failed("missing from");
                    var value = Remove(root, from);
                    Add(root, path, value);
                    break;
                }
                case "copy":
                {
                    var from = (string?)operation!["from"] ?? throw Failed("missing from");
                    Add(root, path, Resolve(root, from)?.DeepClone());
                    break;
                }
                case "test":
                    if (!JsonNode.DeepEquals(Resolve(root, path), operation!["value"])) throw Failed($"testing value {path} failed");
                    break;
                default: throw Failed($"Unexpected kind: {op}");
            }
        }
        return root["doc"]!;
    }

    private static JsonNode? Resolve(JsonObject root, string path)
    {
        var (parent, token) = Find(root, path);
        return parent switch
        {
            JsonObject o when o.ContainsKey(token) => o[token],
            JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
            _ => throw Failed($"doc is missing path: \"{path}\""),
        };
    }

    private static void Add(JsonObject root, string path, JsonNode? value)
    {
        var (parent, token) = Find(root, path);
        switch (parent)
        {
            case JsonObject o: o[token] = value; break;
            case JsonArray a when token == "-": a.Add(value); break;
            case JsonArray a when int.TryParse(token, out var i) && i >= 0 && i <= a.Count: a.Insert(i, value); break;
            default: throw Failed($"doc is missing path: \"{path}\"");
        }
    }

    private static JsonNode? Remove(JsonObject root, string path)
    {
        var (parent, token) = Find(root, path);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(token):
            {
                var value = o[token];
                o.Remove(token);
                return value;
            }
            case JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count:
            {
                var value = a[i];
                a.RemoveAt(i);
                return value;
            }
            default: throw Failed($"doc is missing path: \"{path}\"");
        }
    }

    private static (JsonNode? Parent, string Token) Find(JsonObject root, string path)
    {
        if (path.Length > 0 && path[0] != '/') throw Failed($"invalid path \"{path}\"");
        var tokens = new List<string> { "doc" };
        if (path.Length > 0) tokens.AddRange(path[1..].Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~")));
        JsonNode? node = root;
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            node = node switch
            {
                JsonObject o => o[tokens[i]],
                JsonArray a when int.TryParse(tokens[i], out var index) && index >= 0 && index < a.Count => a[index],
                _ => null,
            };
            if (node is null) throw Failed($"doc is missing path: \"{path}\"");
        }
        return (node, tokens[^1]);
    }

    private static ApiError Failed(string message) => new(422, "Invalid", $"the server rejected our request due to an error in our request: {message}");
}

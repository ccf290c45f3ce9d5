using System.Text.Json.Nodes;

namespace KubeRunbooks.Simulator.Store;

/// <summary>
/// A field selector (<c>metadata.name=x,status.phase!=Running</c>): dotted paths into the object,
/// compared as strings with <c>=</c>, <c>==</c> or <c>!=</c>.
/// </summary>
public sealed class FieldSelector
{
    private readonly List<(string[] Path, string Value, bool Equal)> _terms = new();

    private FieldSelector() { }

    /// <summary>Parses a selector; empty or null selects everything. Throws <see cref="ApiError"/> (400) when malformed.</summary>
    public static FieldSelector Parse(string? text)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text)) return selector;
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            string op;
            if (part.Contains("!=")) op = "!=";
            else if (part.Contains("==")) op = "==";
            else if (part.Contains('=')) op = "=";
            else throw ApiError.BadRequest($"invalid selector: '{text}'; can't understand '{part}'");
            var i = part.IndexOf(op, StringComparison.Ordinal);
            selector._terms.Add((part[..i].Trim().Split('.'), part[(i + op.Length)..].Trim(), op != "!="));
        }
        return selector;
    }

    /// <summary>The value the selector requires for <c>metadata.name</c>, if any (a watch on one object).</summary>
    public string? RequiredName =>
        _terms.FirstOrDefault(t => t.Equal && t.Path is ["metadata", "name"]).Value;

    /// <summary>True when every term holds for the object.</summary>
    public bool Matches(JsonObject obj)
    {
        foreach (var (path, value, equal) in _terms)
        {
            JsonNode? node = obj;
            foreach (var segment in path) node = node is JsonObject o ? o[segment] : null;
            var actual = node is JsonValue v ? v.ToString() : "";
            if ((actual == value) != equal) return false;
        }
        return true;
    }
}

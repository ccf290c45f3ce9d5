using System.Text.Json.Nodes;

namespace KubeRunbooks.Simulator.Store;

/// <summary>
/// A label selector in the string form of the API (<c>app=x,tier!=db,env in (a,b),!legacy</c>).
/// </summary>
public sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _requirements = new();

    private LabelSelector() { }

    /// <summary>Parses a selector; an empty or null string selects everything. Throws <see cref="ApiError"/> (400) when malformed.</summary>
    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text)) return selector;
        foreach (var raw in SplitTopLevel(text))
        {
            var part = raw.Trim();
            if (part.Length == 0) throw Malformed(text);
            selector._requirements.Add(ParseRequirement(part, text));
        }
        return selector;
    }

    /// <summary>True when the object's metadata.labels satisfy every requirement.</summary>
    public bool Matches(JsonObject obj) => Matches(ReadLabels(obj));

    /// <summary>True when the labels satisfy every requirement.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(r => r(labels));

    /// <summary>The labels of an object (empty when it has none).</summary>
    public static IReadOnlyDictionary<string, string> ReadLabels(JsonObject obj)
    {
        var result = new Dictionary<string, string>();
        if (obj["metadata"]?["labels"] is JsonObject labels)
        {
            foreach (var (k, v) in labels) result[k] = v?.GetValue<string>() ?? "";
        }
        return result;
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseRequirement(string part, string text)
    {
        var inIndex = part.IndexOf(" in ", StringComparison.Ordinal);
        var notInIndex = part.IndexOf(" notin ", StringComparison.Ordinal);
        if (notInIndex > 0)
        {
            var key = part[..notInIndex].Trim();
            var values = ParseSet(part[(notInIndex + 7)..], text);
            return l => !l.TryGetValue(key, out var v) || !values.Contains(v);
        }
        if (inIndex > 0)
        {
            var key = part[..inIndex].Trim();
            var values = ParseSet(part[(inIndex + 4)..], text);
            return l => l.TryGetValue(key, out var v) && values.Contains(v);
        }
        if (part.Contains("!="))
        {
            var (key, value) = Split(part, "!=");
            return l => !l.TryGetValue(key, out var v) || v != value;
        }
        if (part.Contains("=="))
        {
            var (key, value) = Split(part, "==");
            return l => l.TryGetValue(key, out var v) && v == value;
        }
        if (part.Contains('='))
        {
            var (key, value) = Split(part, "=");
            return l => l.TryGetValue(key, out var v) && v == value;
        }
        if (part.StartsWith('!'))
        {
            var key = part[1..].Trim();
            return l => !l.ContainsKey(key);
        }
        if (part.Any(c => c is ' ' or '(' or ')' or '<' or '>')) throw Malformed(text);
        return l => l.ContainsKey(part);
    }

    private static (string Key, string Value) Split(string part, string op)
    {
        var i = part.IndexOf(op, StringComparison.Ordinal);
        return (part[..i].Trim(), part[(i + op.Length)..].Trim());
    }

    private static HashSet<string> ParseSet(string rest, string text)
    {
        rest = rest.Trim();
        if (!rest.StartsWith('(') || !rest.EndsWith(')')) throw Malformed(text);
        return rest[1..^1].Split(',').Select(v => v.Trim()).ToHashSet();
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }

    private static ApiError Malformed(string text) =>
        ApiError.BadRequest($"unable to parse requirement: found '{text}', expected: valid label selector");
}

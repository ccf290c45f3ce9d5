using System.Globalization;
using KubeRunbooks.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeRunbooks.Clusters.Yaml;

/// <summary>
/// One mapping of a profile file, read key by key. It knows the file, the dotted key path and each
/// node's line, so every complaint becomes one line: <c>clusters/prod.yaml:7: vantiq.replicas: ...</c>.
/// Keys that were never asked for are rejected by <see cref="RejectUnknownKeys"/>.
/// </summary>
public sealed class YamlSection
{
    private readonly string _file;
    private readonly string _path;
    private readonly Mark _start;
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _asked = new(StringComparer.Ordinal);

    private YamlSection(string file, string path, Mark start)
    {
        _file = file;
        _path = path;
        _start = start;
    }

    /// <summary>Reads a mapping node; a null scalar (e.g. <c>vantiq:</c> with nothing after it) is an empty section.</summary>
    public static YamlSection From(string file, string path, YamlNode node)
    {
        var section = new YamlSection(file, path, node.Start);
        if (IsNull(node))
        {
            return section;
        }

        if (node is not YamlMappingNode mapping)
        {
            throw Fail(file, node.Start, path.Length == 0 ? "(top level)" : path, "expected a mapping of keys to values");
        }

        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode key || string.IsNullOrEmpty(key.Value))
            {
                throw Fail(file, keyNode.Start, path, "keys must be plain names");
            }

            if (!section._entries.TryAdd(key.Value, (key, value)))
            {
                throw Fail(file, key.Start, section.PathOf(key.Value), "the key appears twice");
            }
        }

        return section;
    }

    /// <summary>The dotted path of this section (empty for the root).</summary>
    public string Path => _path;

    /// <summary>Whether the key is present (and marks it as known).</summary>
    public bool Has(string key)
    {
        _asked.Add(key);
        return _entries.ContainsKey(key);
    }

    /// <summary>A nested section, or <c>null</c> when the key is absent.</summary>
    public YamlSection? Section(string key)
    {
        _asked.Add(key);
        return _entries.TryGetValue(key, out var entry) ? From(_file, PathOf(key), entry.Value) : null;
    }

    /// <summary>A string value, or <paramref name="fallback"/> when absent or null.</summary>
    public string? String(string key, string? fallback) => Scalar(key, "a text value") is { } node ? node.Value! : fallback;

    /// <summary>A string that must satisfy <paramref name="valid"/>; <paramref name="rule"/> says what is expected.</summary>
    public string Name(string key, string fallback, Func<string, bool> valid, string rule)
    {
        var node = Scalar(key, "a name");
        if (node is null)
        {
            return fallback;
        }

        return valid(node.Value!) ? node.Value! : throw Fail(node, key, $"'{node.Value}' is not {rule}");
    }

    /// <summary>A namespace name (DNS-1123 label), or <paramref name="fallback"/> when absent.</summary>
    public string Namespace(string key, string fallback) =>
        Name(key, fallback, KubernetesNames.IsLabel, "a namespace name (DNS-1123: lower case letters, digits, '-', at most 63)");

    /// <summary>An object name (DNS-1123 subdomain), or <paramref name="fallback"/> when absent.</summary>
    public string ObjectName(string key, string fallback) =>
        Name(key, fallback, KubernetesNames.IsSubdomain, "an object name (DNS-1123: lower case letters, digits, '-', '.')");

    /// <summary>
    /// A list of object names (DNS-1123 subdomains), each checked, no name twice; <paramref name="fallback"/> when the
    /// key is absent or null.
    /// </summary>
    public IReadOnlyList<string> ObjectNames(string key, IReadOnlyList<string> fallback)
    {
        _asked.Add(key);
        if (!_entries.TryGetValue(key, out var entry) || IsNull(entry.Value)) return fallback;
        if (entry.Value is not YamlSequenceNode list) throw Fail(entry.Value, key, $"expected a list of names, found a {Describe(entry.Value)}");
        var names = new List<string>();
        foreach (var item in list.Children)
        {
            if (item is not YamlScalarNode { Value: { Length: > 0 } name }) throw Fail(item, key, "each item must be a name");
            if (!KubernetesNames.IsSubdomain(name)) throw Fail(item, key, $"'{name}' is not an object name (DNS-1123: lower case letters, digits, '-', '.')");
            if (names.Contains(name, StringComparer.Ordinal)) throw Fail(item, key, $"'{name}' is listed twice");
            names.Add(name);
        }
        return names;
    }

    /// <summary>A whole number no smaller than <paramref name="minimum"/>.</summary>
    public int Int(string key, int fallback, int minimum = 0)
    {
        var node = Scalar(key, "a whole number");
        if (node is null)
        {
            return fallback;
        }

        if (!int.TryParse(node.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Fail(node, key, $"'{node.Value}' is not a whole number");
        }

        return value >= minimum ? value : throw Fail(node, key, $"{value} is below the minimum {minimum}");
    }

    /// <summary>A boolean (<c>true</c> / <c>false</c>).</summary>
    public bool Bool(string key, bool fallback)
    {
        var node = Scalar(key, "true or false");
        if (node is null)
        {
            return fallback;
        }

        return bool.TryParse(node.Value, out var value) ? value : throw Fail(node, key, $"'{node.Value}' is not true or false");
    }

    /// <summary>A positive duration such as <c>10m</c> or <c>00:10:00</c>.</summary>
    public TimeSpan Duration(string key, TimeSpan fallback)
    {
        var node = Scalar(key, "a duration");
        if (node is null)
        {
            return fallback;
        }

        return DurationText.TryParse(node.Value!, out var value)
            ? value
            : throw Fail(node, key, $"'{node.Value}' is not a positive duration like 10m, 1h30m or 00:10:00");
    }

    /// <summary>A value parsed by <paramref name="parse"/>, which returns an error text on failure.</summary>
    public T Parsed<T>(string key, T fallback, Func<string, (T? Value, string? Error)> parse)
    {
        var node = Scalar(key, "a text value");
        if (node is null)
        {
            return fallback;
        }

        var (value, error) = parse(node.Value!);
        return error is null ? value! : throw Fail(node, key, error);
    }

    /// <summary>The line of the key's value, or <c>null</c> when the key is absent (for checks made after parsing).</summary>
    public int? LineOf(string key) => _entries.TryGetValue(key, out var entry) ? (int)entry.Value.Start.Line : null;

    /// <summary>Every key of this section with its value node, marking them all as known.</summary>
    public IEnumerable<(string Key, YamlNode Value)> Entries()
    {
        foreach (var (key, entry) in _entries)
        {
            _asked.Add(key);
            yield return (key, entry.Value);
        }
    }

    /// <summary>Fails on the first key that was never asked for, listing the keys this section knows.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var (key, entry) in _entries)
        {
            if (!_asked.Contains(key))
            {
                var known = string.Join(", ", _asked.Order(StringComparer.Ordinal));
                throw Fail(_file, entry.Key.Start, PathOf(key), $"unknown key (known here: {known})");
            }
        }
    }

    /// <summary>An error about this section's value for <paramref name="key"/>, at that value's line.</summary>
    public InvalidInputException Fail(YamlNode node, string key, string message) => Fail(_file, node.Start, PathOf(key), message);

    /// <summary>An error about the section as a whole (e.g. two keys that exclude each other).</summary>
    public InvalidInputException FailHere(string message) =>
        Fail(_file, _start, _path.Length == 0 ? "(top level)" : _path, message);

    /// <summary>The one-line error format shared by all profile complaints.</summary>
    public static InvalidInputException Fail(string file, Mark mark, string path, string message) =>
        new($"{file}:{mark.Line}: {path}: {message}");

    private YamlScalarNode? Scalar(string key, string expected)
    {
        _asked.Add(key);
        if (!_entries.TryGetValue(key, out var entry) || IsNull(entry.Value))
        {
            return null;
        }

        return entry.Value as YamlScalarNode ?? throw Fail(entry.Value, key, $"expected {expected}, found a {Describe(entry.Value)}");
    }

    private string PathOf(string key) => _path.Length == 0 ? key : $"{_path}.{key}";

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar
        && (scalar.Value is null or "" or "~" or "null" or "Null" or "NULL");

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "mapping",
        YamlSequenceNode => "list",
        _ => "value",
    };
}

using System.Globalization;
using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeRunbooks.Simulator.Patching;

/// <summary>Reads a request body that may be JSON or YAML (apply patches, <c>application/yaml</c> creates) into JSON nodes.</summary>
public static class YamlJson
{
    /// <summary>Parses JSON, or YAML when the text is not JSON; a malformed body throws a 400 <see cref="ApiError"/>.</summary>
    public static JsonNode? Parse(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            try { return JsonNode.Parse(text); }
            catch (System.Text.Json.JsonException) { /* YAML flow style is parsed below */ }
        }
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
        }
        catch (YamlException e)
        {
            throw ApiError.BadRequest($"error converting YAML to JSON: yaml: line {e.Start.Line}: {e.Message}");
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidCastException or ArgumentException)
        {
            // YamlDotNet reports some malformed documents this way; duplicate keys surface as ArgumentException.
            throw ApiError.BadRequest($"error converting YAML to JSON: {e.Message}");
        }
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p =>
            KeyValuePair.Create(((YamlScalarNode)p.Key).Value ?? "", Convert(p.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(value);
        }
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
        }
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && value.Any(char.IsDigit)) return JsonValue.Create(d);
        return JsonValue.Create(value);
    }
}

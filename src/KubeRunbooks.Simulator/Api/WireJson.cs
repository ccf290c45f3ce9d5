using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeRunbooks.Simulator.Api;

/// <summary>JSON as the API server writes it: quotes escaped as <c>\"</c>, not <c>\u0022</c>.</summary>
public static class WireJson
{
    /// <summary>The serializer options for every JSON the server writes.</summary>
    public static JsonSerializerOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The node as wire text.</summary>
    public static string Write(JsonNode node) => node.ToJsonString(Options);
}

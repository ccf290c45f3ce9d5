using System.Text;
using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Runtime;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Scenarios;

/// <summary>The runtime's view of ConfigMaps and Secrets: read from the object store at container start.</summary>
public sealed class StoreEnvSource(ObjectStore store) : IEnvSource
{
    /// <inheritdoc />
    public IReadOnlyDictionary<string, string>? GetConfigMap(string ns, string name)
    {
        var map = store.TryGet(ResourceCatalog.ConfigMaps, ns, name);
        if (map == null) return null;
        return (map["data"] as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "", StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, byte[]>? GetSecret(string ns, string name)
    {
        var secret = store.TryGet(ResourceCatalog.Secrets, ns, name);
        if (secret == null) return null;
        var data = (secret["data"] as JsonObject ?? []).ToDictionary(p => p.Key, p => Decode(p.Value), StringComparer.Ordinal);
        foreach (var (key, value) in secret["stringData"] as JsonObject ?? []) data[key] = Encoding.UTF8.GetBytes(value?.ToString() ?? "");
        return data;
    }

    private static byte[] Decode(JsonNode? value)
    {
        try { return Convert.FromBase64String(value?.ToString() ?? ""); }
        catch (FormatException) { return []; }
    }
}

using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Runtime;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Scenarios;

/// <summary>The runtime's view of Services: read from the object store when a container starts.</summary>
public sealed class StoreServiceSource(ObjectStore store) : IServiceSource
{
    /// <inheritdoc />
    public IReadOnlyList<ServiceEntry> Services() =>
        store.List(ResourceCatalog.Services).Items.Select(ToEntry).ToList();

    // Numbers in the store may be held as long or int, depending on how the object arrived.
    private static int PortOf(JsonNode? node) =>
        int.TryParse(node?.ToString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var port) ? port : 0;

    private static ServiceEntry ToEntry(JsonObject service)
    {
        var meta = service["metadata"];
        var spec = service["spec"];
        var selector = (spec?["selector"] as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "", StringComparer.Ordinal);
        var ports = (spec?["ports"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(p => new ServicePortEntry(PortOf(p["port"]), p["targetPort"]?.ToString() ?? p["port"]?.ToString() ?? "0"))
            .ToList();
        return new ServiceEntry((string?)meta?["namespace"] ?? "default", (string?)meta?["name"] ?? "", selector, ports);
    }
}

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

    private static ServiceEntry ToEntry(JsonObject service)
    {
        var meta = service["metadata"];
        var spec = service["spec"];
        var selector = (spec?["selector"] as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "", StringComparer.Ordinal);
        var ports = (spec?["ports"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(p => new ServicePortEntry((int?)p["port"] ?? 0, p["targetPort"]?.ToString() ?? ((int?)p["port"] ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        return new ServiceEntry((string?)meta?["namespace"] ?? "default", (string?)meta?["name"] ?? "", selector, ports);
    }
}

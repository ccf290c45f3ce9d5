using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Discovery;

/// <summary>
/// The discovery documents kubectl and client-go read: aggregated discovery v2 for /api and
/// /apis (kubectl 1.32 asks for it first), and the legacy APIVersions, APIGroupList, APIGroup
/// and APIResourceList documents it falls back to.
/// </summary>
internal static class DiscoveryDocuments
{
    /// <summary>The content type of an aggregated discovery v2 answer.</summary>
    public const string AggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    private static readonly string[] ObjectVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] SubresourceVerbs = ["get", "patch", "update"];
    private static readonly HashSet<string> InCategoryAll = ["pods", "services", "statefulsets", "deployments", "jobs", "cronjobs"];

    /// <summary>True when the Accept header asks for aggregated discovery v2.</summary>
    public static bool WantsAggregated(string? accept) =>
        accept != null && accept.Contains("g=apidiscovery.k8s.io", StringComparison.Ordinal) && accept.Contains("v=v2", StringComparison.Ordinal)
        && accept.Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal);

    /// <summary>The aggregated document for /api (core group) or /apis (named groups).</summary>
    public static JsonObject Aggregated(bool core)
    {
        var items = new JsonArray();
        foreach (var group in ResourceCatalog.Groups.Where(g => (g.Length == 0) == core))
        {
            var metadata = new JsonObject { ["creationTimestamp"] = null };
            if (!core) metadata["name"] = group;
            var resources = new JsonArray();
            foreach (var kind in ResourceCatalog.All.Where(k => k.Group == group)) resources.Add(AggregatedResource(kind));
            items.Add(new JsonObject
            {
                ["metadata"] = metadata,
                ["versions"] = new JsonArray(new JsonObject
                {
                    ["version"] = "v1",
                    ["resources"] = resources,
                    ["freshness"] = "Current",
                }),
            });
        }
        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = "apidiscovery.k8s.io/v2",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    /// <summary>The legacy /api document.</summary>
    public static JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    /// <summary>The legacy /apis document.</summary>
    public static JsonObject GroupList() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(ResourceCatalog.Groups.Where(g => g.Length > 0).Select(g => (JsonNode)Group(g)).ToArray()),
    };

    /// <summary>The legacy /apis/GROUP document, or null for an unknown group.</summary>
    public static JsonObject? GroupDocument(string group)
    {
        if (group.Length == 0 || !ResourceCatalog.Groups.Contains(group)) return null;
        var doc = Group(group);
        doc["kind"] = "APIGroup";
        doc["apiVersion"] = "v1";
        return doc;
    }

    /// <summary>The legacy APIResourceList of /api/v1 or /apis/GROUP/v1, or null for an unknown group version.</summary>
    public static JsonObject? ResourceList(string group, string version)
    {
        var kinds = ResourceCatalog.All.Where(k => k.Group == group && k.Version == version).ToList();
        if (kinds.Count == 0) return null;
        var resources = new JsonArray();
        foreach (var kind in kinds)
        {
            var resource = new JsonObject
            {
                ["name"] = kind.Plural,
                ["singularName"] = kind.Singular,
                ["namespaced"] = kind.Namespaced,
                ["kind"] = kind.Kind,
                ["verbs"] = Array(ObjectVerbs),
            };
            if (kind.ShortNames.Count > 0) resource["shortNames"] = Array(kind.ShortNames);
            if (InCategoryAll.Contains(kind.Plural)) resource["categories"] = new JsonArray("all");
            resources.Add(resource);
            foreach (var (name, gvk, verbs) in Subresources(kind))
            {
                var sub = new JsonObject
                {
                    ["name"] = $"{kind.Plural}/{name}",
                    ["singularName"] = "",
                    ["namespaced"] = kind.Namespaced,
                    ["kind"] = gvk.Kind,
                    ["verbs"] = Array(verbs),
                };
                if (gvk.Group != kind.Group || gvk.Version != kind.Version)
                {
                    sub["group"] = gvk.Group;
                    sub["version"] = gvk.Version;
                }
                resources.Add(sub);
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private static JsonObject AggregatedResource(ResourceKind kind)
    {
        var resource = new JsonObject
        {
            ["resource"] = kind.Plural,
            ["responseKind"] = Gvk(kind.Group, kind.Version, kind.Kind),
            ["scope"] = kind.Namespaced ? "Namespaced" : "Cluster",
            ["singularResource"] = kind.Singular,
            ["verbs"] = Array(ObjectVerbs),
        };
        if (kind.ShortNames.Count > 0) resource["shortNames"] = Array(kind.ShortNames);
        if (InCategoryAll.Contains(kind.Plural)) resource["categories"] = new JsonArray("all");
        var subresources = new JsonArray();
        foreach (var (name, gvk, verbs) in Subresources(kind))
        {
            subresources.Add(new JsonObject
            {
                ["subresource"] = name,
                ["responseKind"] = Gvk(gvk.Group, gvk.Version, gvk.Kind),
                ["verbs"] = Array(verbs),
            });
        }
        if (subresources.Count > 0) resource["subresources"] = subresources;
        return resource;
    }

    private static IEnumerable<(string Name, (string Group, string Version, string Kind) Gvk, string[] Verbs)> Subresources(ResourceKind kind)
    {
        if (kind.HasScale) yield return ("scale", ("autoscaling", "v1", "Scale"), SubresourceVerbs);
        if (kind.HasStatus) yield return ("status", (kind.Group, kind.Version, kind.Kind), SubresourceVerbs);
        if (kind == ResourceCatalog.Pods)
        {
            yield return ("log", ("", "v1", "Pod"), ["get"]);
            yield return ("exec", ("", "v1", "PodExecOptions"), ["create", "get"]);
        }
    }

    private static JsonObject Group(string group) => new()
    {
        ["name"] = group,
        ["versions"] = new JsonArray(new JsonObject { ["groupVersion"] = $"{group}/v1", ["version"] = "v1" }),
        ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{group}/v1", ["version"] = "v1" },
    };

    private static JsonObject Gvk(string group, string version, string kind) =>
        new() { ["group"] = group, ["version"] = version, ["kind"] = kind };

    private static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
}

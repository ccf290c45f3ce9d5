using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Api;

/// <summary>
/// A resource URL taken apart: <c>/api/v1/namespaces/NS/pods/NAME/log</c>,
/// <c>/apis/apps/v1/namespaces/NS/statefulsets/NAME/scale</c>, <c>/api/v1/namespaces/NAME</c>,
/// <c>/api/v1/pods</c> (every namespace).
/// </summary>
/// <param name="Kind">The kind addressed.</param>
/// <param name="Namespace">The namespace, or null for cluster-scoped kinds and all-namespace lists.</param>
/// <param name="Name">The object name, or null for the collection.</param>
/// <param name="Subresource">status, scale, log, exec, or null.</param>
internal sealed record ResourcePath(ResourceKind Kind, string? Namespace, string? Name, string? Subresource)
{
    /// <summary>Parses a path; null when it is no resource path (unknown kinds give null too).</summary>
    public static ResourcePath? Parse(string path)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        string group;
        string version;
        int rest;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, version, rest) = ("", segments[1], 2);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], 3);
        }
        else
        {
            return null;
        }
        var tail = segments[rest..];
        if (tail.Length >= 3 && tail[0] == "namespaces" && ResourceCatalog.Find(group, version, tail[2]) is { Namespaced: true } namespacedKind)
        {
            // namespaces/NS/PLURAL[/NAME[/SUB]]
            if (tail.Length > 5) return null;
            return new ResourcePath(namespacedKind, tail[1], tail.Length > 3 ? tail[3] : null, tail.Length > 4 ? tail[4] : null);
        }
        if (tail.Length is >= 1 and <= 3)
        {
            // PLURAL[/NAME[/SUB]]: cluster-scoped kinds, or a list across namespaces.
            var kind = ResourceCatalog.Find(group, version, tail[0]);
            if (kind == null || (kind.Namespaced && tail.Length > 1)) return null;
            return new ResourcePath(kind, null, tail.Length > 1 ? tail[1] : null, tail.Length > 2 ? tail[2] : null);
        }
        return null;
    }
}

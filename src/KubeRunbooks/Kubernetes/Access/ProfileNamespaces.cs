using System.Reflection;
using KubeRunbooks.Clusters;

namespace KubeRunbooks.Kubernetes.Access;

/// <summary>
/// The manifests in <c>rbac/</c> name the default profile's namespaces; a profile may name others. This maps each
/// default namespace to the profile's: every <c>…Namespace</c> text property of a product's settings, compared with
/// the same property of the settings read from an empty section (the defaults).
/// </summary>
public static class ProfileNamespaces
{
    /// <summary>Default namespace → the profile's, for each one the profile changes.</summary>
    public static IReadOnlyDictionary<string, string> Of(ClusterProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var settings in profile.Products.All)
        {
            var type = settings.GetType();
            // Settings records carry their defaults as property initializers: a new one is the default profile's.
            if (type.GetConstructor(Type.EmptyTypes) is null) continue;
            var defaults = Activator.CreateInstance(type)!;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                         .Where(p => p.PropertyType == typeof(string) && p.Name.EndsWith("Namespace", StringComparison.Ordinal) && p.GetIndexParameters().Length == 0))
            {
                if (property.GetValue(defaults) is string from && property.GetValue(settings) is string to && from != to)
                    map.TryAdd(from, to);
            }
        }
        return map;
    }

    /// <summary>The rules with each default namespace replaced by the profile's.</summary>
    public static IReadOnlyList<AccessRule> Apply(IEnumerable<AccessRule> rules, IReadOnlyDictionary<string, string> map)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(map);
        return rules.Select(r => r.Namespace is { } ns && map.TryGetValue(ns, out var to) ? r with { Namespace = to } : r).ToList();
    }
}

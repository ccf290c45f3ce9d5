using System.Reflection;
using KubeRunbooks.Kubernetes.Access;

namespace KubeRunbooks.Tasks.Common;

/// <summary>The repository's <c>rbac/*.yaml</c>, embedded in this assembly, read once.</summary>
public static class RoleManifests
{
    private static readonly Lazy<IReadOnlyList<RoleManifest>> Loaded = new(Load);

    /// <summary>
    /// The targets that need no manifest: they talk to no cluster but the embedded one they start themselves, or to
    /// none at all. Every other target has a manifest (a test holds the host's target list to this).
    /// </summary>
    public static IReadOnlySet<string> LocalOnly { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Simulate", "ResetLocalCluster", "VerifyBackup",
    };

    /// <summary>Every manifest.</summary>
    public static IReadOnlyList<RoleManifest> All => Loaded.Value;

    /// <summary>The manifest whose roles are for <paramref name="target"/>, or null when the repository has none.</summary>
    public static RoleManifest? For(string target) =>
        All.FirstOrDefault(m => m.Targets.Contains(target, StringComparer.OrdinalIgnoreCase));

    private static IReadOnlyList<RoleManifest> Load()
    {
        var assembly = typeof(RoleManifests).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("rbac/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return RoleManifest.Parse(n["rbac/".Length..], reader.ReadToEnd());
            })
            .ToList();
    }
}

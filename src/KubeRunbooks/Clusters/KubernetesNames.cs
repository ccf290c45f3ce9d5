using System.Text.RegularExpressions;

namespace KubeRunbooks.Clusters;

/// <summary>Kubernetes name rules, checked when a profile loads so a typo fails before any task runs.</summary>
public static partial class KubernetesNames
{
    /// <summary>A DNS-1123 label (namespaces, container names): lower case alphanumerics and '-', at most 63.</summary>
    public static bool IsLabel(string name) => name.Length <= 63 && Label().IsMatch(name);

    /// <summary>A DNS-1123 subdomain (most object names): labels joined by '.', at most 253.</summary>
    public static bool IsSubdomain(string name) => name.Length <= 253 && Subdomain().IsMatch(name);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}

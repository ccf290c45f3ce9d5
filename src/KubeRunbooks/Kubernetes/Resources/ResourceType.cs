namespace KubeRunbooks.Kubernetes.Resources;

/// <summary>Where a kind of object lives on the wire, for export and apply of any kind.</summary>
/// <param name="Group">The API group; empty for the core group.</param>
/// <param name="Version">The version (<c>v1</c>).</param>
/// <param name="Plural">The resource name in URLs (<c>secrets</c>).</param>
/// <param name="Kind">The kind (<c>Secret</c>).</param>
public sealed record ResourceType(string Group, string Version, string Plural, string Kind)
{
    /// <summary>v1 Secrets.</summary>
    public static readonly ResourceType Secrets = new("", "v1", "secrets", "Secret");

    /// <summary>v1 ConfigMaps.</summary>
    public static readonly ResourceType ConfigMaps = new("", "v1", "configmaps", "ConfigMap");

    /// <summary>The apiVersion of such objects (<c>v1</c>, <c>apps.openshift.io/v1</c>).</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>For messages: <c>secret</c>, <c>deploymentconfig.apps.openshift.io</c>.</summary>
    public override string ToString() => Group.Length == 0 ? Kind.ToLowerInvariant() : $"{Kind.ToLowerInvariant()}.{Group}";
}

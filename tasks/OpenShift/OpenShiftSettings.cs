using KubeRunbooks.Clusters.Products;
using KubeRunbooks.Clusters.Yaml;

namespace KubeRunbooks.Tasks.OpenShift;

/// <summary>The profile's <c>openshift</c> section (seed 003): OpenShift 3 node hosts.</summary>
public sealed record OpenShiftSettings : IProductSettings, IProductSection<OpenShiftSettings>
{
    /// <inheritdoc />
    public static string Key => "openshift";

    /// <inheritdoc />
    public static string ProductName => "OpenShift";

    /// <summary>The image of the privileged pod used for <c>--node</c> backups.</summary>
    public string DebugImage { get; init; } = "registry.access.redhat.com/rhel7/rhel-tools";

    /// <summary>The namespace the <c>--node</c> debug pod is created in (<c>oc debug</c> uses the current project).</summary>
    public string DebugNamespace { get; init; } = "default";

    /// <inheritdoc />
    public static OpenShiftSettings Read(YamlSection section, PathExpander paths)
    {
        var d = new OpenShiftSettings();
        return new()
        {
            DebugImage = section.String("debugImage", null) ?? d.DebugImage,
            DebugNamespace = section.Namespace("debugNamespace", d.DebugNamespace),
        };
    }
}

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

    /// <inheritdoc />
    public static OpenShiftSettings Read(YamlSection section, PathExpander paths) =>
        new() { DebugImage = section.String("debugImage", null) ?? new OpenShiftSettings().DebugImage };
}

using KubeRunbooks.Clusters.Products;
using KubeRunbooks.Clusters.Yaml;

namespace KubeRunbooks.Tasks.ThreeScale;

/// <summary>The profile's <c>threescale</c> section (seed 004): Red Hat 3scale names.</summary>
public sealed record ThreeScaleSettings : IProductSettings, IProductSection<ThreeScaleSettings>
{
    /// <inheritdoc />
    public static string Key => "threescale";

    /// <inheritdoc />
    public static string ProductName => "3scale";

    /// <summary>The namespace of the 3scale install.</summary>
    public string Namespace { get; init; } = "3scale";

    /// <inheritdoc />
    public static ThreeScaleSettings Read(YamlSection section, PathExpander paths) =>
        new() { Namespace = section.Namespace("namespace", new ThreeScaleSettings().Namespace) };
}

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

    /// <summary>How long a Redis <c>BGSAVE</c> may take before the backup is refused (the dump must be fresh).</summary>
    public TimeSpan RedisSaveTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Secrets of the seed's list that may be absent (listed in the report, not fatal).</summary>
    public IReadOnlyList<string> OptionalSecrets { get; init; } = ["system-recaptcha"];

    /// <inheritdoc />
    public static ThreeScaleSettings Read(YamlSection section, PathExpander paths)
    {
        var d = new ThreeScaleSettings();
        return new()
        {
            Namespace = section.Namespace("namespace", d.Namespace),
            RedisSaveTimeout = section.Duration("redisSaveTimeout", d.RedisSaveTimeout),
            OptionalSecrets = section.String("optionalSecrets", null) is { } list
                ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : d.OptionalSecrets,
        };
    }
}

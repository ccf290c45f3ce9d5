using KubeRunbooks.Clusters.Products;
using KubeRunbooks.Clusters.Yaml;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>The profile's <c>exastro</c> section (seed 001): Exastro IT Automation names.</summary>
public sealed record ExastroSettings : IProductSettings, IProductSection<ExastroSettings>
{
    /// <inheritdoc />
    public static string Key => "exastro";

    /// <inheritdoc />
    public static string ProductName => "Exastro IT Automation";

    /// <summary>The namespace of the Exastro workloads.</summary>
    public string Namespace { get; init; } = "exastro";

    /// <summary>The PVC mounted at <c>/storage</c> by the maintenance pod.</summary>
    public string StorageClaim { get; init; } = "pvc-ita-global";

    /// <summary>The image of the maintenance pod.</summary>
    public string MaintenanceImage { get; init; } = "mariadb:10.9";

    /// <inheritdoc />
    public static ExastroSettings Read(YamlSection section, PathExpander paths)
    {
        var d = new ExastroSettings();
        return new ExastroSettings
        {
            Namespace = section.Namespace("namespace", d.Namespace),
            StorageClaim = section.ObjectName("storageClaim", d.StorageClaim),
            MaintenanceImage = section.String("maintenanceImage", null) ?? d.MaintenanceImage,
        };
    }
}

using KubeRunbooks.Clusters.Products;
using KubeRunbooks.Clusters.Yaml;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>The profile's <c>exastro</c> section (seed 001): Exastro IT Automation names, the seed's by default.</summary>
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

    /// <summary>The maintenance pod's name.</summary>
    public string MaintenancePod { get; init; } = "exastro-maintenance";

    /// <summary>The reverse proxy Deployment, stopped first so users cannot write (the seed's stop_service).</summary>
    public string ReverseProxy { get; init; } = "platform-auth";

    /// <summary>The backyard Deployments stopped after the reverse proxy; empty: every Deployment named <c>ita-by-*</c>.</summary>
    public IReadOnlyList<string> Backyard { get; init; } = [];

    /// <summary>The name prefix of the backyard Deployments when <see cref="Backyard"/> is empty.</summary>
    public const string BackyardPrefix = "ita-by-";

    /// <summary>The Secret(s) holding <c>ENCRYPT_KEY</c>: without them a restored database is unreadable.</summary>
    public IReadOnlyList<string> EncryptionKeySecrets { get; init; } = ["ita-secret-ita-global"];

    /// <summary>The Platform database's ConfigMap (<c>DB_HOST</c>, <c>DB_PORT</c>, <c>DB_DATABASE</c>).</summary>
    public string PlatformDatabaseParams { get; init; } = "platform-params-pf-database";

    /// <summary>The Platform database's Secret (<c>DB_ADMIN_USER</c>, <c>DB_ADMIN_PASSWORD</c>).</summary>
    public string PlatformDatabaseSecret { get; init; } = "platform-secret-pf-database";

    /// <summary>The ITA database's ConfigMap.</summary>
    public string ItaDatabaseParams { get; init; } = "ita-params-ita-database";

    /// <summary>The ITA database's Secret.</summary>
    public string ItaDatabaseSecret { get; init; } = "ita-secret-ita-database";

    /// <summary>The ITA global ConfigMap (<c>STORAGEPATH</c>).</summary>
    public string ItaGlobalParams { get; init; } = "ita-params-ita-global";

    /// <summary>
    /// <c>auto</c> (default: separate when the two ConfigMaps name different DB_HOST / DB_PORT), <c>shared</c> or
    /// <c>separate</c>: whether ITA has its own database server (the seed's two tabs).
    /// </summary>
    public string DatabaseServers { get; init; } = "auto";

    /// <inheritdoc />
    public static ExastroSettings Read(YamlSection section, PathExpander paths)
    {
        var d = new ExastroSettings();
        return new ExastroSettings
        {
            Namespace = section.Namespace("namespace", d.Namespace),
            StorageClaim = section.ObjectName("storageClaim", d.StorageClaim),
            MaintenanceImage = section.String("maintenanceImage", null) ?? d.MaintenanceImage,
            MaintenancePod = section.ObjectName("maintenancePod", d.MaintenancePod),
            ReverseProxy = section.ObjectName("reverseProxy", d.ReverseProxy),
            Backyard = section.ObjectNames("backyard", d.Backyard),
            EncryptionKeySecrets = section.ObjectNames("encryptionKeySecrets", d.EncryptionKeySecrets),
            PlatformDatabaseParams = section.ObjectName("platformDatabaseParams", d.PlatformDatabaseParams),
            PlatformDatabaseSecret = section.ObjectName("platformDatabaseSecret", d.PlatformDatabaseSecret),
            ItaDatabaseParams = section.ObjectName("itaDatabaseParams", d.ItaDatabaseParams),
            ItaDatabaseSecret = section.ObjectName("itaDatabaseSecret", d.ItaDatabaseSecret),
            ItaGlobalParams = section.ObjectName("itaGlobalParams", d.ItaGlobalParams),
            DatabaseServers = section.Name("databaseServers", d.DatabaseServers, v => v is "auto" or "shared" or "separate", "auto, shared or separate"),
        };
    }
}

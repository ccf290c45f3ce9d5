using KubeRunbooks.Clusters;
using KubeRunbooks.Clusters.Products;
using KubeRunbooks.Clusters.Yaml;
using KubeRunbooks.Kubernetes.Workloads;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>The profile's <c>kamonohashi</c> section (seed 000), every name defaulted to the seed's value.</summary>
public sealed record KamonohashiSettings : IProductSettings, IProductSection<KamonohashiSettings>
{
    /// <inheritdoc />
    public static string Key => "kamonohashi";

    /// <inheritdoc />
    public static string ProductName => "KAMONOHASHI";

    /// <summary>The namespace of the KAMONOHASHI workloads.</summary>
    public string Namespace { get; init; } = "kqi-system";

    /// <summary>The PostgreSQL workload dumped by <c>PostgresBackup</c>.</summary>
    public ProfileWorkload Database { get; init; } = new("postgres", 1, WorkloadKind.Deployment);

    /// <summary>The application workload stopped during a restore.</summary>
    public ProfileWorkload Application { get; init; } = new("platypus-web-api", 1, WorkloadKind.Deployment);

    /// <summary>
    /// The ConfigMap holding the application's settings (<c>appsettings</c> of the seed's settings.yml), or
    /// <c>null</c> when they are plain env entries of the application Deployment's container.
    /// </summary>
    public string? SettingsConfigMap { get; init; }

    /// <summary>
    /// The storage tree StorageBackup / StorageRestore copy: the NFS export on the storage node (seed 000: "storage の
    /// /var/lib/kamonohashi/nfs"), mounted as a hostPath unless <see cref="StorageClaim"/> names a PVC.
    /// </summary>
    public string StoragePath { get; init; } = "/var/lib/kamonohashi/nfs";

    /// <summary>The PersistentVolumeClaim that holds the storage tree, or <c>null</c>: the hostPath <see cref="StoragePath"/>.</summary>
    public string? StorageClaim { get; init; }

    /// <summary>The node the storage helper pod runs on (a hostPath is that node's folder), or <c>null</c>: any node.</summary>
    public string? StorageNode { get; init; }

    /// <summary>The image of the storage helper pod: it needs <c>sh</c>, GNU <c>tar</c>, <c>find</c>, <c>stat</c> and <c>sha256sum</c>.</summary>
    public string StorageHelperImage { get; init; } = "debian:bookworm-slim";

    /// <summary>The MinIO workload whose secret key RotateStoragePassword changes.</summary>
    public ProfileWorkload Minio { get; init; } = new("minio", 1, WorkloadKind.Deployment);

    /// <summary>The Secret holding MinIO's keys (the KAMONOHASHI chart's <c>minio-credential</c>).</summary>
    public string MinioSecret { get; init; } = "minio-credential";

    /// <summary>The key of <see cref="MinioSecret"/> that holds the secret key.</summary>
    public string MinioSecretKey { get; init; } = "MINIO_SECRET_KEY";

    /// <summary>The database pod's container where <c>pg_dumpall</c> and <c>psql</c> run.</summary>
    public string DatabaseContainer { get; init; } = "postgres";

    /// <summary>The PostgreSQL superuser the dump, the restore and the password change connect as.</summary>
    public string DatabaseUser { get; init; } = "postgres";

    /// <summary>The volume of the database pod that holds its data folder (the seed's /var/lib/kamonohashi/postgresql/data).</summary>
    public string DatabaseDataVolume { get; init; } = "data";

    /// <summary>The Service the application reaches the database by (a real login with a new password goes through it).</summary>
    public string DatabaseService { get; init; } = "postgres";

    /// <summary>The Secret holding the database password the application and the database read.</summary>
    public string DatabaseSecret { get; init; } = "postgres-credential";

    /// <summary>The key of <see cref="DatabaseSecret"/> holding the password.</summary>
    public string DatabasePasswordKey { get; init; } = "POSTGRES_PASSWORD";

    /// <inheritdoc />
    public IEnumerable<(string Namespace, ProfileWorkload Workload)> ProfileWorkloads => [(Namespace, Database), (Namespace, Application)];

    /// <inheritdoc />
    public static KamonohashiSettings Read(YamlSection section, PathExpander paths)
    {
        var d = new KamonohashiSettings();
        return new KamonohashiSettings
        {
            Namespace = section.Namespace("namespace", d.Namespace),
            Database = d.Database with { Name = section.ObjectName("databaseDeployment", d.Database.Name) },
            Application = d.Application with
            {
                Name = section.ObjectName("appDeployment", d.Application.Name),
                Replicas = section.Int("appReplicas", d.Application.Replicas, minimum: 1),
            },
            SettingsConfigMap = section.String("settingsConfigMap", null) is null ? null : section.ObjectName("settingsConfigMap", ""),
            StoragePath = StorageFolder(section, "storagePath", d.StoragePath),
            StorageClaim = section.String("storageClaim", null) is null ? null : section.ObjectName("storageClaim", ""),
            StorageNode = section.String("storageNode", null) is null ? null : section.ObjectName("storageNode", ""),
            StorageHelperImage = section.String("storageHelperImage", d.StorageHelperImage) ?? d.StorageHelperImage,
            Minio = d.Minio with { Name = section.ObjectName("minioDeployment", d.Minio.Name) },
            MinioSecret = section.ObjectName("minioSecret", d.MinioSecret),
            MinioSecretKey = section.Name("minioSecretKey", d.MinioSecretKey, k => k.Length > 0 && k.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'), "a Secret key (letters, digits, '-', '_', '.')"),
            DatabaseContainer = section.ObjectName("databaseContainer", d.DatabaseContainer),
            DatabaseUser = section.String("databaseUser", d.DatabaseUser)!,
            DatabaseDataVolume = section.ObjectName("databaseDataVolume", d.DatabaseDataVolume),
            DatabaseService = section.ObjectName("databaseService", d.DatabaseService),
            DatabaseSecret = section.ObjectName("databaseSecret", d.DatabaseSecret),
            DatabasePasswordKey = section.String("databasePasswordKey", d.DatabasePasswordKey)!,
        };
    }

    private static string StorageFolder(YamlSection section, string key, string fallback) =>
        section.Name(key, fallback, p => p.StartsWith('/') && p.Length > 1 && !p.Split('/').Contains("..") && !p.Contains('\n'), "an absolute folder path (not /, no '..')");
}

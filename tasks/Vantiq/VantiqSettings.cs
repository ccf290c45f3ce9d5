using KubeRunbooks.Clusters;
using KubeRunbooks.Clusters.Products;
using KubeRunbooks.Clusters.Yaml;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>The profile's <c>vantiq</c> section (seed 002): the names of the Vantiq objects, every one defaulted to the seed's value.</summary>
public sealed record VantiqSettings : IProductSettings, IProductSection<VantiqSettings>
{
    /// <inheritdoc />
    public static string Key => "vantiq";

    /// <inheritdoc />
    public static string ProductName => "Vantiq";

    /// <summary>The namespace of the Vantiq workloads.</summary>
    public string Namespace { get; init; } = "vantiq";

    /// <summary>The namespace of the shared ingress (holds <c>default-ssl-cert</c>).</summary>
    public string SharedNamespace { get; init; } = "shared";

    /// <summary>The main StatefulSet and its normal replicas.</summary>
    public ProfileWorkload Server { get; init; } = new("vantiq", 3);

    /// <summary>Optional StatefulSets stopped and restored with the server.</summary>
    public IReadOnlyList<ProfileWorkload> OptionalWorkloads { get; init; } =
        [new("metrics-collector", 1, Optional: true), new("vision-analytics", 2, Optional: true)];

    /// <summary>The CronJob whose template makes the MongoDB backup (and restore) Jobs.</summary>
    public string BackupCronJob { get; init; } = "mongobackup";

    /// <summary>The init container of <c>vantiq-0</c> that runs the schema migration.</summary>
    public string MigrationContainer { get; init; } = "load-model";

    /// <summary>The image repository whose tag is the Vantiq version.</summary>
    public string ImageRepository { get; init; } = "vantiq/vantiq-server";

    /// <summary>The shell command a MongoRestore Job runs; <c>$BACKUP_ID</c> holds the backup to restore.</summary>
    public string RestoreCommand { get; init; } = "mongorestore --drop --gzip --archive=/backup/$BACKUP_ID";

    /// <summary>How a new version is deployed.</summary>
    public DeploySettings Deploy { get; init; } = new();

    /// <summary>The vendor's commands that write the certificate and license Secrets, or null for the tool writing them itself.</summary>
    public KubeRunbooks.Tasks.Vantiq.Secrets.SecretCommandSettings? SecretCommands { get; init; }

    /// <summary>The names of the secrets the certificate and license runbooks regenerate.</summary>
    public VantiqSecretNames Secrets { get; init; } = new();

    /// <summary>The folder of <c>fullchain.crt</c>, <c>private.key</c>, <c>license.key</c>, <c>public.pem</c>.</summary>
    public string SensitiveFolder { get; init; } = "deploy/sensitive";

    /// <summary>The DNS name the certificate must be valid for, or <c>null</c> when not checked.</summary>
    public string? Domain { get; init; }

    /// <summary>
    /// The ingress's TLS endpoint (<c>HOST:PORT</c>, or <see cref="EmbeddedIngress"/>) that must serve the new certificate after a renewal, or <c>null</c>
    /// when that check is not possible from where the tool runs.
    /// </summary>
    public string? IngressEndpoint { get; init; }

    /// <summary>The <see cref="IngressEndpoint"/> that names the embedded simulated cluster's ingress (its port changes every run).</summary>
    public const string EmbeddedIngress = "embedded";

    /// <summary>
    /// Where each workload's pods belong (the seed's "pods on the intended nodes"): workload name to either node names
    /// (<c>node-a,node-b</c>) or a node label selector (<c>zone=a</c>). Empty: not checked.
    /// </summary>
    public IReadOnlyDictionary<string, string> NodePlacement { get; init; } = new Dictionary<string, string>();

    /// <summary>The server first, then the optional workloads.</summary>
    public IEnumerable<ProfileWorkload> AllWorkloads => OptionalWorkloads.Prepend(Server);

    /// <inheritdoc />
    public IEnumerable<(string Namespace, ProfileWorkload Workload)> ProfileWorkloads => AllWorkloads.Select(w => (Namespace, w));

    /// <inheritdoc />
    public static VantiqSettings Read(YamlSection section, PathExpander paths)
    {
        var d = new VantiqSettings();
        var deploy = section.Section("deploy");
        var secrets = section.Section("secrets");
        var secretCommands = section.Section("secretCommands");
        var deploySettings = deploy is null ? d.Deploy : DeploySettings.Read(deploy, paths);
        return new VantiqSettings
        {
            Namespace = section.Namespace("namespace", d.Namespace),
            SharedNamespace = section.Namespace("sharedNamespace", d.SharedNamespace),
            Server = new ProfileWorkload(section.ObjectName("statefulSet", d.Server.Name), section.Int("replicas", d.Server.Replicas, minimum: 1)),
            OptionalWorkloads = ReadOptionalWorkloads(section, d.OptionalWorkloads),
            BackupCronJob = section.ObjectName("backupCronJob", d.BackupCronJob),
            MigrationContainer = section.Name("migrationContainer", d.MigrationContainer, KubernetesNames.IsLabel, "a container name (DNS-1123 label)"),
            ImageRepository = section.Name("imageRepository", d.ImageRepository, IsImageRepository, "an image repository without a tag, like vantiq/vantiq-server"),
            RestoreCommand = section.String("restoreCommand", null) ?? d.RestoreCommand,
            Deploy = deploySettings,
            SecretCommands = secretCommands is null ? null : KubeRunbooks.Tasks.Vantiq.Secrets.SecretCommandSettings.Read(secretCommands, paths, deploySettings.WorkingDirectory),
            Secrets = secrets is null ? d.Secrets : VantiqSecretNames.Read(secrets),
            SensitiveFolder = paths.Expand(section.String("sensitiveFolder", null)) ?? d.SensitiveFolder,
            Domain = section.Parsed<string?>("domain", null, text =>
                KubernetesNames.IsSubdomain(text.TrimStart('*', '.')) ? (text, null) : (null, $"'{text}' is not a DNS name")),
            IngressEndpoint = section.Parsed<string?>("ingressEndpoint", null, text =>
                text == EmbeddedIngress || (text.LastIndexOf(':') is var colon and > 0 && int.TryParse(text[(colon + 1)..], out var port) && port is > 0 and < 65536)
                    ? (text, null) : (null, $"'{text}' is not HOST:PORT (or {EmbeddedIngress} on the embedded simulated cluster)")),
            NodePlacement = ReadNodePlacement(section),
        };
    }

    private static IReadOnlyDictionary<string, string> ReadNodePlacement(YamlSection parent)
    {
        var section = parent.Section("nodePlacement");
        var placement = new Dictionary<string, string>(StringComparer.Ordinal);
        if (section is null)
        {
            return placement;
        }

        foreach (var (name, value) in section.Entries().ToList())
        {
            if (!KubernetesNames.IsSubdomain(name))
            {
                throw section.Fail(value, name, $"'{name}' is not a workload name (DNS-1123)");
            }

            var text = section.String(name, null);
            if (string.IsNullOrWhiteSpace(text))
            {
                throw section.Fail(value, name, "expected node names (node-a,node-b) or a node label selector (zone=a)");
            }

            placement[name] = text.Trim();
        }

        return placement;
    }

    private static IReadOnlyList<ProfileWorkload> ReadOptionalWorkloads(YamlSection parent, IReadOnlyList<ProfileWorkload> defaults)
    {
        var section = parent.Section("optionalWorkloads");
        if (section is null)
        {
            return defaults;
        }

        var list = new List<ProfileWorkload>();
        foreach (var (name, value) in section.Entries().ToList())
        {
            if (!KubernetesNames.IsSubdomain(name))
            {
                throw section.Fail(value, name, $"'{name}' is not an object name (DNS-1123)");
            }

            list.Add(new ProfileWorkload(name, section.Int(name, 1, minimum: 0), Optional: true));
        }

        return list;
    }

    private static bool IsImageRepository(string text) =>
        text.Length > 0 && !text.Contains('@') && !text.Any(char.IsWhiteSpace) && !text[(text.LastIndexOf('/') + 1)..].Contains(':');
}

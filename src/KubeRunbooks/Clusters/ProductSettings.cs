namespace KubeRunbooks.Clusters;

/// <summary>The kind of a workload, which decides the API used to read and scale it.</summary>
public enum WorkloadKind
{
    /// <summary>apps/v1 StatefulSet.</summary>
    StatefulSet,

    /// <summary>apps/v1 Deployment.</summary>
    Deployment,
}

/// <summary>A workload the runbooks scale or inspect, and its normal replica count.</summary>
/// <param name="Name">The object name.</param>
/// <param name="Replicas">The replica count in normal operation.</param>
/// <param name="Kind">StatefulSet or Deployment.</param>
/// <param name="Optional">Whether a cluster may lack it (reported as absent, not an error).</param>
public sealed record WorkloadRef(string Name, int Replicas, WorkloadKind Kind = WorkloadKind.StatefulSet, bool Optional = false);

/// <summary>Vantiq names (seed 002), every one defaulted to the seed's value.</summary>
public sealed record VantiqSettings
{
    /// <summary>The namespace of the Vantiq workloads.</summary>
    public string Namespace { get; init; } = "vantiq";

    /// <summary>The namespace of the shared ingress (holds <c>default-ssl-cert</c>).</summary>
    public string SharedNamespace { get; init; } = "shared";

    /// <summary>The main StatefulSet and its normal replicas.</summary>
    public WorkloadRef Server { get; init; } = new("vantiq", 3);

    /// <summary>Optional StatefulSets stopped and restored with the server.</summary>
    public IReadOnlyList<WorkloadRef> OptionalWorkloads { get; init; } =
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

    /// <summary>The names of the secrets the certificate and license runbooks regenerate.</summary>
    public VantiqSecretNames Secrets { get; init; } = new();

    /// <summary>The folder of <c>fullchain.crt</c>, <c>private.key</c>, <c>license.key</c>, <c>public.pem</c>.</summary>
    public string SensitiveFolder { get; init; } = "deploy/sensitive";

    /// <summary>The DNS name the certificate must be valid for, or <c>null</c> when not checked.</summary>
    public string? Domain { get; init; }

    /// <summary>The server first, then the optional workloads.</summary>
    public IEnumerable<WorkloadRef> AllWorkloads => OptionalWorkloads.Prepend(Server);
}

/// <summary>
/// How a version is deployed: with no command, the tool patches the image tag of the workload itself;
/// with a command (e.g. <c>./gradlew -Pcluster=prod deployVantiq</c>), it runs that instead.
/// </summary>
public sealed record DeploySettings
{
    /// <summary>The deploy command line, or <c>null</c> for the built-in image patch.</summary>
    public string? Command { get; init; }

    /// <summary>The folder the command runs in, with <c>~</c> expanded, or <c>null</c> for the current one.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Whether the built-in image patch is used.</summary>
    public bool PatchesImage => Command is null;
}

/// <summary>The secret names of a Vantiq install.</summary>
public sealed record VantiqSecretNames
{
    /// <summary>The TLS secret in the Vantiq namespace.</summary>
    public string Ssl { get; init; } = "vantiq-ssl-cert";

    /// <summary>The TLS secret of the ingress, in the shared namespace.</summary>
    public string IngressSsl { get; init; } = "default-ssl-cert";

    /// <summary>The secret holding <c>license.key</c> and <c>public.pem</c>.</summary>
    public string License { get; init; } = "vantiq-license";
}

/// <summary>KAMONOHASHI names (seed 000).</summary>
public sealed record KamonohashiSettings
{
    /// <summary>The namespace of the KAMONOHASHI workloads.</summary>
    public string Namespace { get; init; } = "kqi-system";

    /// <summary>The PostgreSQL workload dumped by <c>PostgresBackup</c>.</summary>
    public WorkloadRef Database { get; init; } = new("postgres", 1, WorkloadKind.Deployment);

    /// <summary>The application workload stopped during a restore.</summary>
    public WorkloadRef Application { get; init; } = new("platypus-web-api", 1, WorkloadKind.Deployment);

    /// <summary>
    /// The ConfigMap holding the application's settings (<c>appsettings</c> of the seed's settings.yml), or
    /// <c>null</c> when they are plain env entries of the application Deployment's container.
    /// </summary>
    public string? SettingsConfigMap { get; init; }
}

/// <summary>Exastro IT Automation names (seed 001).</summary>
public sealed record ExastroSettings
{
    /// <summary>The namespace of the Exastro workloads.</summary>
    public string Namespace { get; init; } = "exastro";

    /// <summary>The PVC mounted at <c>/storage</c> by the maintenance pod.</summary>
    public string StorageClaim { get; init; } = "pvc-ita-global";

    /// <summary>The image of the maintenance pod.</summary>
    public string MaintenanceImage { get; init; } = "mariadb:10.9";
}

/// <summary>Red Hat 3scale names (seed 004).</summary>
public sealed record ThreeScaleSettings
{
    /// <summary>The namespace of the 3scale install.</summary>
    public string Namespace { get; init; } = "3scale";
}

/// <summary>OpenShift 3 node hosts (seed 003).</summary>
public sealed record OpenShiftSettings
{
    /// <summary>The image of the privileged pod used for <c>--node</c> backups.</summary>
    public string DebugImage { get; init; } = "registry.access.redhat.com/rhel7/rhel-tools";
}

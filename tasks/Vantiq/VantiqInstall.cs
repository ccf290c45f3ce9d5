using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeRunbooks.Clusters;
using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Kubernetes.Jobs;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Versions;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>
/// The Vantiq install as a plan finds it before the first change: the profile's names, the workloads present with
/// their state, the running version and what earlier runs recorded. Read-only; every refusal is an
/// <see cref="InvalidInputException"/> (exit 2, nothing changed).
/// </summary>
public sealed record VantiqInstall
{
    /// <summary>The profile's Vantiq names.</summary>
    public required VantiqSettings Settings { get; init; }

    /// <summary>The profile name, for the commands a message suggests.</summary>
    public required string Cluster { get; init; }

    /// <summary>The profile file, for messages.</summary>
    public required string ProfilePath { get; init; }

    /// <summary>The Vantiq StatefulSet.</summary>
    public required WorkloadRef Server { get; init; }

    /// <summary>The optional workloads that exist on the cluster (absent ones are skipped).</summary>
    public required IReadOnlyList<WorkloadRef> Optional { get; init; }

    /// <summary>The optional workloads the cluster does not have.</summary>
    public required IReadOnlyList<string> AbsentOptional { get; init; }

    /// <summary>Each workload present as read (replicas, annotations), for the dry run's texts.</summary>
    public required IReadOnlyDictionary<WorkloadRef, WorkloadState> States { get; init; }

    /// <summary>The server's version container.</summary>
    public required string ServerContainer { get; init; }

    /// <summary>The server container's image now.</summary>
    public required ImageReference CurrentImage { get; init; }

    /// <summary>The version running now (the server image's tag).</summary>
    public required ProductVersion CurrentVersion { get; init; }

    /// <summary>The unfinished operation recorded on the server, or null.</summary>
    public OperationRecord? Unfinished { get; init; }

    /// <summary>The image before the last upgrade (annotation <see cref="AnnotationStore.PreviousImage"/>), or null.</summary>
    public ImageReference? PreviousImage { get; init; }

    /// <summary>The backup the last upgrade took (annotation <see cref="AnnotationStore.BackupId"/>), or null.</summary>
    public string? RecordedBackup { get; init; }

    /// <summary>The server first, then the optional workloads present.</summary>
    public IReadOnlyList<WorkloadRef> All => [Server, .. Optional];

    /// <summary>The normal replicas the profile gives a workload (used when none was recorded).</summary>
    public int ProfileReplicas(WorkloadRef workload) =>
        Settings.AllWorkloads.FirstOrDefault(w => w.Name == workload.Name)?.Replicas ?? 1;

    /// <summary>The replicas a workload had before the stop: its record, else its spec now.</summary>
    public int RecordedReplicas(WorkloadRef workload) =>
        States[workload].Annotations.TryGetValue(AnnotationStore.OriginalReplicas, out var recorded) && int.TryParse(recorded, out var count)
            ? count
            : States[workload].DesiredReplicas;

    /// <summary>Reads the install named by the profile's <c>vantiq</c> section.</summary>
    public static async Task<VantiqInstall> ReadAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        var settings = context.Profile.Require<VantiqSettings>();
        var ops = new WorkloadOperations(context.Kubernetes);
        var server = settings.Server.In(settings.Namespace);
        var serverState = await ops.TryGetAsync(server, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidInputException($"{server} does not exist on cluster '{context.Profile.Name}' (profile {context.Profile.SourcePath}, vantiq.statefulSet).");
        var states = new Dictionary<WorkloadRef, WorkloadState> { [server] = serverState };
        var optional = new List<WorkloadRef>();
        var absent = new List<string>();
        foreach (var w in settings.OptionalWorkloads)
        {
            var reference = w.In(settings.Namespace);
            if (await ops.TryGetAsync(reference, cancellationToken).ConfigureAwait(false) is { } state)
            {
                optional.Add(reference);
                states[reference] = state;
            }
            else absent.Add(w.Name);
        }

        var container = VersionContainer.Find(serverState, settings.Server.Name, settings.ImageRepository)
            ?? throw new InvalidInputException($"{server} has no containers.");
        if (string.IsNullOrWhiteSpace(container.Image)) throw new InvalidInputException($"Container {container.Name} of {server} has no image.");
        var image = ImageReference.Parse(container.Image);
        var current = ProductVersion.TryParse(image.Tag, out var v) ? v
            : throw new InvalidInputException($"The image of {server} is {image}: its tag is not a version X.Y.Z, so the running version is unknown.");
        var unfinished = OperationLedger.UnfinishedFrom(serverState.Annotations, server);

        return new VantiqInstall
        {
            Settings = settings,
            Cluster = context.Profile.Name,
            ProfilePath = context.Profile.SourcePath,
            Server = server,
            Optional = optional,
            AbsentOptional = absent,
            States = states,
            ServerContainer = container.Name,
            CurrentImage = image,
            CurrentVersion = current,
            Unfinished = unfinished,
            PreviousImage = serverState.Annotations.TryGetValue(AnnotationStore.PreviousImage, out var prev) ? ImageReference.Parse(prev) : null,
            RecordedBackup = serverState.Annotations.TryGetValue(AnnotationStore.BackupId, out var id) ? id : null,
        };
    }

    /// <summary>The backup CronJob exists, else a one-line refusal.</summary>
    public async Task RequireCronJobAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        try
        {
            await new JobRunner(client).ReadCronJobAsync(Settings.Namespace, Settings.BackupCronJob, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidInputException($"{e.Message.TrimEnd('.')} (profile {ProfilePath}, vantiq.backupCronJob): the MongoDB backup cannot be taken.");
        }
    }

    /// <summary>A backup is a completed Job of the backup CronJob: anything else is refused before anything stops.</summary>
    public async Task RequireBackupAsync(IKubernetes client, string backupId, CancellationToken cancellationToken)
    {
        await RequireCronJobAsync(client, cancellationToken).ConfigureAwait(false);
        var ns = Settings.Namespace;
        V1Job job;
        try
        {
            job = await client.BatchV1.ReadNamespacedJobAsync(backupId, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            throw new InvalidInputException($"Backup {backupId} does not exist: no job {ns}/{backupId} (see kubectl get jobs -n {ns}).");
        }
        if (!CronJobRuns.IsRunOf(job, Settings.BackupCronJob)) throw new InvalidInputException($"Job {ns}/{backupId} was not made from cronjob {Settings.BackupCronJob}: it is not a backup.");
        if (!CronJobRuns.IsComplete(job))
            throw new InvalidInputException($"Backup {backupId} did not complete (job {ns}/{backupId} is {CronJobRuns.StateOf(job)}): it cannot be restored.");
    }
}

using System.Net;
using k8s;
using k8s.Autorest;
using KubeRunbooks.Clusters;
using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Pods;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Runbooks.Plans;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>
/// Where KAMONOHASHI's storage tree is and how a helper pod reaches it (seed 000: "storage の /var/lib/kamonohashi/nfs
/// を保護します"): shared by StorageBackup and StorageRestore. Validation and reads only.
/// </summary>
public record StoragePlan : IRunbookPlan
{
    /// <summary>The kind of backup set (folder name start, what retention and restores look for).</summary>
    public const string SetKind = "kqi-storage";

    /// <summary>The helper pod's name and label value.</summary>
    public const string HelperPod = "kqi-storage-helper";

    /// <summary>The profile's KAMONOHASHI names.</summary>
    public required KamonohashiSettings Settings { get; init; }

    /// <summary>The profile name.</summary>
    public required string Cluster { get; init; }

    /// <summary>The profile's backup folder, absolute.</summary>
    public required string BackupFolder { get; init; }

    /// <summary>The storage volume the helper pod mounts.</summary>
    public required PodVolume Volume { get; init; }

    /// <inheritdoc />
    public string LockNamespace => Settings.Namespace;

    /// <inheritdoc />
    public OperationOpening? Opens => null;

    /// <summary>The storage as messages name it.</summary>
    public string StorageDescription => $"{Volume}{(Settings.StorageNode is { } node ? $" on node {node}" : "")}";

    /// <summary>Reads and checks the storage part of the profile against the cluster.</summary>
    protected static async Task<(KamonohashiSettings Settings, PodVolume Volume, string BackupFolder)> ReadStorageAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        var settings = context.Profile.Require<KamonohashiSettings>();
        var source = $"profile {context.Profile.SourcePath}";
        if (settings.StorageClaim is { } claim)
        {
            try
            {
                await context.Kubernetes.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(claim, settings.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new InvalidInputException($"PVC {settings.Namespace}/{claim} does not exist on cluster '{context.Profile.Name}' ({source}, kamonohashi.storageClaim): it holds the storage tree.");
            }
        }
        if (settings.StorageNode is { } node)
        {
            try
            {
                await context.Kubernetes.CoreV1.ReadNodeAsync(node, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new InvalidInputException($"Node '{node}' does not exist on cluster '{context.Profile.Name}' ({source}, kamonohashi.storageNode): `kubectl get nodes` lists the nodes.");
            }
        }
        var volume = settings.StorageClaim is { } c ? PodVolume.Claim(c) : PodVolume.HostFolder(settings.StoragePath);
        var folder = Path.GetFullPath(context.Profile.Backups.Folder, context.Environment.WorkingDirectory.FullPath);
        return (settings, volume, folder);
    }
}

/// <summary>What StorageBackup will do: the storage tree as tar.gz into a new backup set.</summary>
public sealed record StorageBackupPlan : StoragePlan
{
    /// <summary>The plan of this run.</summary>
    public static StorageBackupPlan Of(RunbookContext context) => context.Plan<StorageBackupPlan>();

    /// <summary>The archive's name in the set, with the day of the backup (as the seed names its dumps).</summary>
    public static string ArchiveName(DateTimeOffset at) => $"kqi-storage-{at.UtcDateTime:yyyyMMdd}.tar.gz";

    /// <summary>Builds the plan: validation and reads only.</summary>
    public static async Task<StorageBackupPlan> BuildAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        var (settings, volume, folder) = await ReadStorageAsync(context, cancellationToken).ConfigureAwait(false);
        return new StorageBackupPlan { Settings = settings, Cluster = context.Profile.Name, BackupFolder = folder, Volume = volume };
    }
}

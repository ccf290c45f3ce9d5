using KubeRunbooks.Backups;
using KubeRunbooks.Errors;
using KubeRunbooks.Runbooks;
using Workload = KubeRunbooks.Kubernetes.Workloads.WorkloadRef;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>
/// What StorageRestore will do: the set named by <c>--backup</c>, verified (a set that fails is refused here, before
/// the lock and before anything stops: exit 2), restored into the storage tree with the application stopped;
/// <c>--delete</c> also moves aside the paths the set does not hold.
/// </summary>
public sealed record StorageRestorePlan : StoragePlan
{
    /// <summary>The verified set.</summary>
    public required VerifiedBackupSet Set { get; init; }

    /// <summary>The tar archive in the set.</summary>
    public required string ArchiveFile { get; init; }

    /// <summary>True with <c>--delete</c>: paths the set does not hold leave the tree (moved aside, kept).</summary>
    public bool Delete { get; init; }

    /// <summary>The application stopped while the tree changes (the seed's restore stops it: deploy-kamonohashi.sh clean app).</summary>
    public required Workload Application { get; init; }

    /// <summary>The plan of this run.</summary>
    public static StorageRestorePlan Of(RunbookContext context) => context.Plan<StorageRestorePlan>();

    /// <summary>The one tar archive of a verified storage set.</summary>
    /// <exception cref="InvalidInputException">The set is of another kind, or holds no or several archives.</exception>
    public static string ArchiveOf(VerifiedBackupSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (set.Manifest.Kind != SetKind)
            throw new InvalidInputException($"The backup set {set.Name} is a '{set.Manifest.Kind}' set, not a {SetKind} set: StorageRestore restores what StorageBackup wrote.");
        var archive = set.Manifest.Files.Where(f => f.Content == BackupContent.Tar).ToList();
        if (archive.Count != 1)
            throw new InvalidInputException($"The backup set {set.Name} holds {archive.Count} tar archives where a {SetKind} set holds one.");
        return archive[0].Name;
    }

    /// <summary>Builds the plan: validation and reads only; the set is verified in full.</summary>
    public static async Task<StorageRestorePlan> BuildAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        var name = context.Argument("backup");
        if (string.IsNullOrWhiteSpace(name))
            throw new InvalidInputException($"{KamonohashiTargets.StorageRestore} needs --backup=SET: a {SetKind} set in the backup folder (StorageBackup writes them), or its folder.");
        var (settings, volume, folder) = await ReadStorageAsync(context, cancellationToken).ConfigureAwait(false);
        var setFolder = new BackupStore(folder).Resolve(name);
        VerifiedBackupSet set;
        try
        {
            set = await BackupVerifier.VerifyOrThrowAsync(setFolder, cancellationToken).ConfigureAwait(false);
        }
        catch (BackupFailedException e)
        {
            throw new InvalidInputException($"{e.Message} Nothing was changed: restore another set.", e);
        }
        var archive = ArchiveOf(set);
        var application = Workload.Deployment(settings.Namespace, settings.Application.Name);
        if (await new Kubernetes.Workloads.WorkloadOperations(context.Kubernetes).TryGetAsync(application, cancellationToken).ConfigureAwait(false) is null)
            throw new InvalidInputException($"{application} does not exist on cluster '{context.Profile.Name}' (profile {context.Profile.SourcePath}, kamonohashi.appDeployment): it is stopped while the storage is restored.");
        return new StorageRestorePlan
        {
            Settings = settings,
            Cluster = context.Profile.Name,
            BackupFolder = folder,
            Volume = volume,
            Set = set,
            ArchiveFile = archive,
            Delete = context.Arguments.HasArgument("delete"),
            Application = application,
        };
    }
}

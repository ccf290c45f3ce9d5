using k8s.Models;
using KubeRunbooks.Backups;
using KubeRunbooks.Clusters;
using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Runbooks.Plans;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>
/// What PostgresRestore will do, decided before anything stops: the set verified whole (sizes, SHA-256, gzip, the
/// dump's completion line), its pg_dumpall file, the database's data folder on the node (a hostPath: what the seed
/// moves aside), the application, and what to do about an unfinished restore (the same set resumes it).
/// </summary>
public sealed record PostgresRestorePlan : IRunbookPlan
{
    /// <summary>The ledger input: the set restored.</summary>
    public const string BackupInput = "backup";

    /// <summary>The profile's KAMONOHASHI names.</summary>
    public required KamonohashiSettings Settings { get; init; }

    /// <summary>The profile name.</summary>
    public required string Cluster { get; init; }

    /// <summary>The set, verified.</summary>
    public required VerifiedBackupSet Set { get; init; }

    /// <summary>The pg_dumpall file in the set.</summary>
    public required string DumpFile { get; init; }

    /// <summary>The database workload (it carries the operation's ledger).</summary>
    public required WorkloadRef Database { get; init; }

    /// <summary>The application workloads stopped during the restore (the seed's <c>deploy-kamonohashi.sh clean app</c>).</summary>
    public required IReadOnlyList<WorkloadRef> Application { get; init; }

    /// <summary>The database's pod template (the restore pod and the folder pod are made from it).</summary>
    public required V1PodTemplateSpec Template { get; init; }

    /// <summary>The data folder on the node, e.g. <c>/var/lib/kamonohashi/postgresql/data</c>.</summary>
    public required string DataHostPath { get; init; }

    /// <summary>What this run does about an unfinished restore.</summary>
    public required LedgerDecision Ledger { get; init; }

    /// <summary>The folder holding the data folder on the node.</summary>
    public string ParentHostPath => DataHostPath[..DataHostPath.LastIndexOf('/')] is { Length: > 0 } p ? p : "/";

    /// <summary>The data folder's name in its parent.</summary>
    public string DataFolderName => DataHostPath[(DataHostPath.LastIndexOf('/') + 1)..];

    /// <summary>The database container's image (the restore and folder pods run it).</summary>
    public string Image => Template.Spec.Containers.First(c => c.Name == Settings.DatabaseContainer).Image;

    /// <summary>The command that runs this restore again (resumes it).</summary>
    public string RerunCommand => RunbookCommand.Text(KamonohashiTargets.PostgresRestore, Cluster, ("backup", Set.Name));

    /// <inheritdoc />
    public string LockNamespace => Settings.Namespace;

    /// <inheritdoc />
    public OperationOpening? Opens => Ledger.Resumed is null
        ? new OperationOpening(Database, KamonohashiTargets.PostgresRestore, new Dictionary<string, string> { [BackupInput] = Set.Name })
        : null;

    /// <summary>Builds the plan: verification and reads only; every refusal is exit 2 with nothing changed.</summary>
    public static async Task<PostgresRestorePlan> BuildAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        var given = context.Argument("backup");
        if (string.IsNullOrWhiteSpace(given))
            throw new InvalidInputException($"--backup=SET is required: a {PostgresBackupPlan.Kind} backup set in {context.Profile.Backups.Folder} (see ./build.sh --target={KamonohashiTargets.PostgresBackup}).");
        var store = new BackupStore(Path.GetFullPath(context.Profile.Backups.Folder, context.Environment.WorkingDirectory.FullPath));
        VerifiedBackupSet set;
        try
        {
            set = await BackupVerifier.VerifyOrThrowAsync(store.Resolve(given), cancellationToken).ConfigureAwait(false);
        }
        catch (BackupFailedException e)
        {
            throw new InvalidInputException($"{e.Message.TrimEnd('.')}: nothing was stopped or changed.", e);
        }
        var dumps = set.Manifest.Files.Where(f => f.Content == BackupContent.PostgresClusterDump).ToList();
        if (dumps.Count != 1)
            throw new InvalidInputException($"The backup set {set.Name} holds {dumps.Count} pg_dumpall files ({string.Join(", ", set.Manifest.Files.Select(f => f.Name))}): a {KamonohashiTargets.PostgresRestore} takes a set of {KamonohashiTargets.PostgresBackup}.");

        var settings = context.Profile.Require<KamonohashiSettings>();
        var database = KamonohashiDatabase.WorkloadOf(settings);
        var template = await KamonohashiDatabase.RequireContainerAsync(context, settings, cancellationToken).ConfigureAwait(false);
        var volume = template.Spec.Volumes?.FirstOrDefault(v => v.Name == settings.DatabaseDataVolume)
            ?? throw new InvalidInputException($"{database} has no volume '{settings.DatabaseDataVolume}' (kamonohashi.databaseDataVolume); its volumes: {string.Join(", ", template.Spec.Volumes?.Select(v => v.Name) ?? [])}.");
        if (volume.HostPath?.Path is not { Length: > 1 } hostPath || !hostPath.StartsWith('/'))
            throw new InvalidInputException($"The data volume '{volume.Name}' of {database} is not a hostPath folder: the seed's restore moves the data folder aside on the node, which needs its path there.");

        var workloads = new WorkloadOperations(context.Kubernetes);
        var application = new WorkloadRef(settings.Application.Kind, settings.Namespace, settings.Application.Name);
        if (await workloads.TryGetAsync(application, cancellationToken).ConfigureAwait(false) is null)
            throw new InvalidInputException($"{application} does not exist on cluster '{context.Profile.Name}' (kamonohashi.appDeployment): it is the application stopped during the restore.");
        var state = await workloads.GetAsync(database, cancellationToken).ConfigureAwait(false);
        var unfinished = OperationLedger.UnfinishedFrom(state.Annotations, database);
        var decision = LedgerDecision.Decide(unfinished, KamonohashiTargets.PostgresRestore, new Dictionary<string, string> { [BackupInput] = set.Name }, fresh: false, mayReplace: false);
        if (decision.Action == LedgerAction.Refuse)
            throw new InvalidInputException($"{database} records an unfinished {decision.Unfinished!.Describe()}: run that again to finish it.");

        return new PostgresRestorePlan
        {
            Settings = settings,
            Cluster = context.Profile.Name,
            Set = set,
            DumpFile = dumps[0].Name,
            Database = database,
            Application = [application],
            Template = template,
            DataHostPath = hostPath.TrimEnd('/'),
            Ledger = decision,
        };
    }
}

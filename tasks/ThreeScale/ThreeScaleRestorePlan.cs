using System.Globalization;
using KubeRunbooks.Backups;
using KubeRunbooks.Errors;
using KubeRunbooks.Clusters;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Runbooks.Plans;
using KubeRunbooks.Tasks.OpenShift;

namespace KubeRunbooks.Tasks.ThreeScale;

/// <summary>
/// What ThreeScaleRestore will do, decided before the first change: the set verified whole (checksums, gzip, tar,
/// completion markers) and holding every file this install needs, the workloads found. Any refusal: exit 2.
/// </summary>
public sealed record ThreeScaleRestorePlan : IRunbookPlan
{
    /// <summary>The profile's 3scale names.</summary>
    public required ThreeScaleSettings Settings { get; init; }

    /// <summary>The verified set.</summary>
    public required VerifiedBackupSet Set { get; init; }

    /// <summary>The workloads restored and rolled out.</summary>
    public required ThreeScaleWorkloads Workloads { get; init; }

    /// <summary>Appended to the names of the Redis files moved aside (<c>dump.rdb-old-yyyyMMdd-HHmmss</c>).</summary>
    public required string AsideSuffix { get; init; }

    /// <summary>The set's Secret files, in the seed's order.</summary>
    public IReadOnlyList<BackupFileEntry> SecretFiles => Objects("secret", ThreeScaleInstall.Secrets);

    /// <summary>The set's ConfigMap files, in the seed's order.</summary>
    public IReadOnlyList<BackupFileEntry> ConfigMapFiles => Objects("configmap", ThreeScaleInstall.ConfigMaps);

    /// <inheritdoc />
    public string LockNamespace => Settings.Namespace;

    /// <summary>What this run does about an unfinished restore recorded on system-app: open its own, or resume it.</summary>
    public LedgerDecision Ledger { get; init; } = new(LedgerAction.Open, null);

    /// <summary>The object that carries the operation record (system-app).</summary>
    public WorkloadRef Anchor => ThreeScaleRestoreLedger.Anchor(Workloads);

    /// <inheritdoc />
    public OperationOpening? Opens => Ledger.Action == LedgerAction.Open
        ? new OperationOpening(Anchor, ThreeScaleTargets.Restore, new Dictionary<string, string> { [ThreeScaleRestoreLedger.BackupInput] = Set.Name })
            { DeploymentConfigs = OpenShiftApis.DeploymentConfigs }
        : null;

    /// <summary>The plan of this run.</summary>
    public static ThreeScaleRestorePlan Of(RunbookContext context) => context.Plan<ThreeScaleRestorePlan>();

    /// <summary>Builds the plan: the set verified, the workloads found; reads only.</summary>
    public static async Task<ThreeScaleRestorePlan> BuildAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        var name = context.Argument("backup") ?? throw new InvalidInputException($"{ThreeScaleTargets.Restore} needs --backup=SET (a set name in the backup folder, or a set folder).");
        var settings = context.Profile.Require<ThreeScaleSettings>();
        var folder = new BackupStore(Path.GetFullPath(context.Profile.Backups.Folder, context.Environment.WorkingDirectory.FullPath)).Resolve(name);
        VerifiedBackupSet set;
        try
        {
            set = await BackupVerifier.VerifyOrThrowAsync(folder, cancellationToken).ConfigureAwait(false);
        }
        catch (BackupFailedException e)
        {
            throw new InvalidInputException($"The backup set {Path.GetFileName(folder)} is refused, nothing was changed: {e.Message}", e);
        }
        // A foreign set is refused before the cluster is read (For checks it again for in-memory callers).
        if (set.Manifest.Kind != ThreeScaleInstall.BackupKind)
            throw new InvalidInputException($"The backup set {set.Name} is a '{set.Manifest.Kind}' backup, not a 3scale ('{ThreeScaleInstall.BackupKind}') one.");
        var workloads = await ThreeScaleWorkloads.FindAsync(new WorkloadRollout(context.Kubernetes, OpenShiftApis.DeploymentConfigs), settings.Namespace,
            [ThreeScaleInstall.SystemApp, ThreeScaleInstall.SystemSidekiq, ThreeScaleInstall.ZyncDatabase, ThreeScaleInstall.BackendRedis,
             ThreeScaleInstall.SystemRedis, ThreeScaleInstall.BackendWorker], cancellationToken).ConfigureAwait(false);
        var anchor = ThreeScaleRestoreLedger.Anchor(workloads);
        var annotations = await ThreeScaleRestoreLedger.Notes(context).ReadAllAsync(anchor, cancellationToken).ConfigureAwait(false);
        return For(settings, set, workloads, DateTime.UtcNow, OperationLedger.UnfinishedFrom(annotations, anchor));
    }

    /// <summary>
    /// The plan for a verified set and the workloads found (in memory): the set holds the dump of the cluster's kind of
    /// system database, the storage, zync's dump, both Redis dumps and the Redis ConfigMap; Redis files moved aside get
    /// <paramref name="now"/>'s stamp.
    /// </summary>
    /// <param name="settings">The profile's 3scale names.</param>
    /// <param name="set">The verified set.</param>
    /// <param name="workloads">The workloads found.</param>
    /// <param name="now">Now (the suffix of the files moved aside).</param>
    /// <param name="unfinished">The operation recorded on system-app, or null: the same restore (same set) is resumed.</param>
    /// <exception cref="InvalidInputException">The set lacks a file this install needs, or another restore is unfinished.</exception>
    public static ThreeScaleRestorePlan For(ThreeScaleSettings settings, VerifiedBackupSet set, ThreeScaleWorkloads workloads, DateTime now, OperationRecord? unfinished = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(workloads);
        if (set.Manifest.Kind != ThreeScaleInstall.BackupKind)
            throw new InvalidInputException($"The backup set {set.Name} is a '{set.Manifest.Kind}' backup, not a 3scale ('{ThreeScaleInstall.BackupKind}') one.");
        var needed = new[] { workloads.DatabaseFile, ThreeScaleInstall.StorageFile, ThreeScaleInstall.ZyncFile, ThreeScaleInstall.BackendRedisFile, ThreeScaleInstall.SystemRedisFile };
        var missing = needed.Where(f => set.Manifest.Files.All(e => e.Name != f)).ToList();
        if (missing.Count > 0)
            throw new InvalidInputException($"The backup set {set.Name} lacks {string.Join(", ", missing)}" +
                (missing.Contains(workloads.DatabaseFile) ? $" (the cluster's system database is {workloads.DatabaseName})" : "") + "; nothing was changed.");
        var decision = LedgerDecision.Decide(unfinished, ThreeScaleTargets.Restore, new Dictionary<string, string> { [ThreeScaleRestoreLedger.BackupInput] = set.Name }, fresh: false, mayReplace: false);
        if (decision.Action == LedgerAction.Refuse)
        {
            var kept = ThreeScaleRestoreLedger.MovedAside(decision.Unfinished);
            throw new InvalidInputException($"{ThreeScaleRestoreLedger.Anchor(workloads)} records an unfinished {decision.Unfinished!.Describe()}" +
                (kept.Count == 0 ? "" : $", which kept aside {string.Join("; ", kept)}") +
                $": run {ThreeScaleTargets.Restore} --backup={decision.Unfinished.Input(ThreeScaleRestoreLedger.BackupInput)} again to finish it first; nothing was changed.");
        }
        var plan = new ThreeScaleRestorePlan
        {
            Settings = settings,
            Set = set,
            Workloads = workloads,
            AsideSuffix = "-old-" + now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture),
            Ledger = decision,
        };
        if (plan.ConfigMapFiles.All(f => f.Name != ThreeScaleInstall.RedisConfigMap + ".json"))
            throw new InvalidInputException($"The backup set {set.Name} lacks configmap {ThreeScaleInstall.RedisConfigMap}, which the Redis restores edit; nothing was changed.");
        return plan;
    }

    private List<BackupFileEntry> Objects(string kind, IReadOnlyList<string> order) =>
        order.Select(n => Set.Manifest.Files.FirstOrDefault(f => f.Object == $"{kind}/{n}")).OfType<BackupFileEntry>().ToList();
}

using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Runbooks.Plans;
using KubeRunbooks.Versions;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>
/// What one run of a Vantiq target will do, decided before the first change. Each target has its own plan type
/// (<see cref="UpgradeMinorPlan"/>, ...) that says what the shared steps do for it, so no step asks which target runs it.
/// </summary>
public abstract record VantiqPlan : IRunbookPlan
{
    /// <summary>The install as found.</summary>
    public required VantiqInstall Install { get; init; }

    /// <summary>The target being run (canonical spelling).</summary>
    public required string Target { get; init; }

    /// <summary>What this run does about an unfinished operation (open, resume or replace it).</summary>
    public required LedgerDecision Ledger { get; init; }

    /// <summary>The version before this operation (the recorded one when resuming).</summary>
    public required ProductVersion From { get; init; }

    /// <summary>The version this run deploys, or null when it deploys nothing.</summary>
    public ProductVersion? To { get; init; }

    /// <summary>The image before this operation, recorded for a later rollback.</summary>
    public required ImageReference FromImage { get; init; }

    /// <summary>The backup a restore uses (the Job's name), or null.</summary>
    public string? RestoreBackupId { get; init; }

    /// <summary>The profile's Vantiq names.</summary>
    public VantiqSettings Settings => Install.Settings;

    /// <summary>The profile name.</summary>
    public string Cluster => Install.Cluster;

    /// <summary>The Vantiq StatefulSet.</summary>
    public WorkloadRef Server => Install.Server;

    /// <summary>The server first, then the optional workloads present.</summary>
    public IReadOnlyList<WorkloadRef> All => Install.All;

    /// <summary>The unfinished operation this run resumes, or null for a fresh start.</summary>
    public OperationRecord? Resumed => Ledger.Resumed;

    /// <inheritdoc />
    public string LockNamespace => Settings.Namespace;

    /// <inheritdoc />
    public OperationOpening? Opens => Resumed is null && RecordsOperation
        ? new OperationOpening(Server, Target, new Dictionary<string, string>
        {
            [VantiqLedgerKeys.From] = From.ToString(),
            [VantiqLedgerKeys.To] = (To ?? From).ToString(),
            [VantiqLedgerKeys.FromImage] = FromImage.ToString(),
        })
        : null;

    /// <summary>Whether this target records its operation on the cluster (every target that stops or changes Vantiq).</summary>
    public virtual bool RecordsOperation => true;

    /// <summary>Whether this target stops Vantiq (downtime).</summary>
    public virtual bool StopsVantiq => false;

    /// <summary>Whether the deploy records the image it replaces (<see cref="AnnotationStore.PreviousImage"/>) for a later rollback.</summary>
    public virtual bool RecordsPreviousImage => false;

    /// <summary>Whether the backup belongs to the operation: recorded before its Job is created, kept for the rollback, and a failed one brings the workloads back.</summary>
    public virtual bool BackupBelongsToOperation => false;

    /// <summary>The suffix of a new backup Job's name.</summary>
    public virtual string BackupJobSuffix => "manual";

    /// <summary>Whether the end of this run uses up the rollback records (previous image, backup id).</summary>
    public virtual bool UsesUpRollbackRecords => false;

    /// <summary>Whether the end of the rolling update uses up the previous image record.</summary>
    public virtual bool UsesUpPreviousImage => false;

    /// <summary>The command that runs this target again (resumes it).</summary>
    public virtual string RerunCommand => RunbookCommand.Text(Target, Cluster);

    /// <summary>The command that rolls a minor upgrade back, exactly.</summary>
    public string RollbackCommand(string? backupId) => RunbookCommand.Text(VantiqTargets.RollbackMinor, Cluster, ("backup", backupId));

    /// <summary>
    /// Reads the install and decides about an unfinished operation: the same target (and <c>--to</c>) resumes it, a
    /// rollback (<paramref name="mayReplace"/>) replaces it, anything else is refused.
    /// </summary>
    protected static async Task<(VantiqInstall Install, LedgerDecision Ledger)> ReadAsync(RunbookContext context, string target, bool mayReplace, CancellationToken cancellationToken)
    {
        var install = await VantiqInstall.ReadAsync(context, cancellationToken).ConfigureAwait(false);
        return (install, Decide(install, target, context.Argument("to"), context.Arguments.HasArgument("fresh"), mayReplace));
    }

    /// <summary>
    /// Decides about the install's unfinished operation (in memory): the same target whose <paramref name="to"/> (when
    /// given) is the recorded one resumes it, <paramref name="fresh"/> starts over, a rollback (<paramref name="mayReplace"/>)
    /// replaces only a version operation; anything else is refused with the ways out.
    /// </summary>
    /// <exception cref="InvalidInputException">Another operation is unfinished and this target may not run beside it.</exception>
    public static LedgerDecision Decide(VantiqInstall install, string target, string? to, bool fresh, bool mayReplace)
    {
        ArgumentNullException.ThrowIfNull(install);
        var given = to is not null ? new Dictionary<string, string> { [VantiqLedgerKeys.To] = to.Trim().TrimStart('v') } : new Dictionary<string, string>();
        // A rollback replaces only a version operation (one that records the image it started from): an unfinished
        // rebalance or secret renewal left taints or files that only its own target knows how to finish.
        var versionOperation = install.Unfinished?.Input(VantiqLedgerKeys.FromImage) is not null;
        var decision = LedgerDecision.Decide(install.Unfinished, target, given, fresh, mayReplace && versionOperation);
        if (decision.Action == LedgerAction.Refuse && !versionOperation)
            throw new InvalidInputException($"{install.Server} records an unfinished {decision.Unfinished!.Describe()}: run {decision.Unfinished.Target} again to finish it first.");
        if (decision.Action == LedgerAction.Refuse)
            throw new InvalidInputException($"{install.Server} records an unfinished {decision.Unfinished!.Describe()}: run that target again to resume it, {VantiqTargets.RollbackMinor} to return to {decision.Unfinished.Input(VantiqLedgerKeys.From)}, or add --fresh to start over.");
        return decision;
    }

    /// <summary>The required <c>--to</c>.</summary>
    protected static ProductVersion RequireTo(string? to) =>
        to is { Length: > 0 } ? ProductVersion.Parse(to, "--to")
        : throw new InvalidInputException("--to=X.Y.Z is required: the version to deploy (for example --to=1.31.0).");

    /// <summary>The version and image a resumed upgrade started from, else the running ones.</summary>
    protected static (ProductVersion From, ImageReference FromImage) Origin(VantiqInstall install, OperationRecord? resumed) =>
        resumed is null
            ? (install.CurrentVersion, install.CurrentImage)
            : (ProductVersion.Parse(resumed.Input(VantiqLedgerKeys.From), "recorded version"), ImageReference.Parse(resumed.Input(VantiqLedgerKeys.FromImage) ?? install.CurrentImage.ToString()));

    /// <summary>
    /// Where a rollback returns to and with which backup: a rollback being resumed keeps its own record; an unfinished
    /// upgrade gives the image it started from and the backup it took; otherwise the last recorded ones.
    /// </summary>
    protected static (ImageReference? Image, string? BackupId) RollbackSource(VantiqInstall install, LedgerDecision ledger, bool withRecordedBackup)
    {
        var recordedBackup = withRecordedBackup ? install.RecordedBackup : null;
        if (ledger.Resumed is { } rollback) return (install.CurrentImage.WithTag(rollback.Input(VantiqLedgerKeys.To)!), rollback.TakenOf(VantiqLedgerKeys.Backup));
        if (ledger.Unfinished is { } unfinished && unfinished.Input(VantiqLedgerKeys.FromImage) is { } fromImage)
            return (ImageReference.Parse(fromImage), unfinished.TakenOf(VantiqLedgerKeys.Backup) ?? recordedBackup);
        return (install.PreviousImage, recordedBackup);
    }

    /// <summary>The version a rollback returns to: <c>--to</c>, else the recorded image's tag.</summary>
    protected static ProductVersion RollbackVersion(string? to, WorkloadRef server, ImageReference? back) =>
        to is { } explicitTo ? ProductVersion.Parse(explicitTo, "--to")
        : back?.Tag is { } tag && ProductVersion.TryParse(tag, out var t) ? t
        : throw new InvalidInputException($"No previous image is recorded on {server} (annotation {AnnotationStore.PreviousImage}): pass --to=X.Y.Z to say which version to return to.");
}

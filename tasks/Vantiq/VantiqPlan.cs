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
using KubeRunbooks.Versions;
using Workload = KubeRunbooks.Kubernetes.Workloads.WorkloadRef;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>
/// What this run of a Vantiq runbook will do, decided from the arguments, the profile and the cluster before the
/// first mutation: every refusal is an <see cref="InvalidInputException"/> (exit 2, nothing changed). Read-only;
/// computed once per run and shared by the steps (also under --dryrun, where no step body runs).
/// </summary>
public sealed record VantiqPlan
{
    /// <summary>The targets this plan knows.</summary>
    public static readonly IReadOnlyList<string> Targets = [VantiqTargets.UpgradeMinor, VantiqTargets.RollbackMinor, VantiqTargets.UpgradePatch, VantiqTargets.RollbackPatch, VantiqTargets.MongoBackup, VantiqTargets.MongoRestore];

    private static readonly UpgradeRules Rules = new();

    /// <summary>The target being run (canonical spelling).</summary>
    public required string Target { get; init; }

    /// <summary>The profile's Vantiq names.</summary>
    public required VantiqSettings Settings { get; init; }

    /// <summary>The profile name, for the commands a message suggests.</summary>
    public required string Cluster { get; init; }

    /// <summary>The Vantiq StatefulSet.</summary>
    public required Workload Server { get; init; }

    /// <summary>The optional workloads that exist on the cluster (absent ones are skipped).</summary>
    public required IReadOnlyList<Workload> Optional { get; init; }

    /// <summary>The optional workloads the cluster does not have.</summary>
    public required IReadOnlyList<string> AbsentOptional { get; init; }

    /// <summary>The server's version container (named like the StatefulSet, else the first of the image repository).</summary>
    public required string ServerContainer { get; init; }

    /// <summary>The server container's image now.</summary>
    public required ImageReference CurrentImage { get; init; }

    /// <summary>The version running now (the server image's tag).</summary>
    public required ProductVersion CurrentVersion { get; init; }

    /// <summary>The version before this operation (the recorded one when resuming).</summary>
    public ProductVersion From { get; init; }

    /// <summary>The version this run deploys, or null when it deploys nothing.</summary>
    public ProductVersion? To { get; init; }

    /// <summary>The image before this operation, recorded for a later rollback.</summary>
    public required ImageReference FromImage { get; init; }

    /// <summary>The unfinished operation this run resumes, or null for a fresh start.</summary>
    public OperationRecord? Resumed { get; init; }

    /// <summary>The backup a restore uses (the Job's name), or null.</summary>
    public string? RestoreBackupId { get; init; }

    /// <summary>True with --fresh: a recorded unfinished operation is started over, with a new backup.</summary>
    public bool Fresh { get; init; }

    /// <summary>The server first, then the optional workloads present.</summary>
    public IEnumerable<Workload> All => Optional.Prepend(Server);

    /// <summary>The normal replicas the profile gives a workload (used when none was recorded).</summary>
    public int ProfileReplicas(Workload workload) =>
        Settings.AllWorkloads.FirstOrDefault(w => w.Name == workload.Name)?.Replicas ?? 1;

    /// <summary>Whether this target stops Vantiq (downtime).</summary>
    public bool StopsVantiq => Target is VantiqTargets.UpgradeMinor or VantiqTargets.RollbackMinor or VantiqTargets.MongoRestore;

    /// <summary>The command that rolls this minor upgrade back, exactly.</summary>
    public string RollbackCommand(string? backupId) =>
        $"./build.sh --target={VantiqTargets.RollbackMinor} --cluster={Cluster}" + (backupId is null ? "" : $" --backup={backupId}");

    /// <summary>The plan of this run, computed on first use (validation and reads only).</summary>
    public static VantiqPlan Of(RunbookContext context)
    {
        var holder = context.RunState<Holder>();
        lock (holder)
        {
            return holder.Plan ??= BuildAsync(context, CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    private static async Task<VantiqPlan> BuildAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        var settings = context.Profile.RequireVantiq();
        var target = Canonical(context.Argument("target"));
        var ops = new WorkloadOperations(context.Kubernetes);
        var server = Workload.StatefulSet(settings.Namespace, settings.Server.Name);
        var serverState = await ops.TryGetAsync(server, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidInputException($"{server} does not exist on cluster '{context.Profile.Name}' (profile {context.Profile.SourcePath}, vantiq.statefulSet).");
        var optional = new List<Workload>();
        var absent = new List<string>();
        foreach (var w in settings.OptionalWorkloads)
        {
            var reference = new Workload(w.Kind == Clusters.WorkloadKind.Deployment ? Kubernetes.Workloads.WorkloadKind.Deployment : Kubernetes.Workloads.WorkloadKind.StatefulSet, settings.Namespace, w.Name);
            if (await ops.TryGetAsync(reference, cancellationToken).ConfigureAwait(false) is null) absent.Add(w.Name);
            else optional.Add(reference);
        }

        var (serverContainer, image) = ServerImage(serverState, settings);
        var current = ProductVersion.TryParse(image.Tag, out var v) ? v
            : throw new InvalidInputException($"The image of {server} is {image}: its tag is not a version X.Y.Z, so the running version is unknown.");
        OperationRecord? resumedRecord;
        try
        {
            resumedRecord = serverState.Annotations.TryGetValue(AnnotationStore.Operation, out var json) ? OperationRecord.Parse(json, server.ToString()) : null;
        }
        catch (InvalidDataException e)
        {
            throw new InvalidInputException(e.Message, e);
        }

        var previousImage = serverState.Annotations.TryGetValue(AnnotationStore.PreviousImage, out var prev) ? ImageReference.Parse(prev) : null;
        var recordedBackup = serverState.Annotations.TryGetValue(AnnotationStore.BackupId, out var id) ? id : null;
        var fresh = context.Arguments.HasArgument("fresh");

        context.RunState<ClusterLockScope>().Namespace = settings.Namespace;
        var plan = new VantiqPlan
        {
            Target = target,
            Settings = settings,
            Cluster = context.Profile.Name,
            Server = server,
            Optional = optional,
            AbsentOptional = absent,
            ServerContainer = serverContainer,
            CurrentImage = image,
            CurrentVersion = current,
            From = current,
            FromImage = image,
            Fresh = fresh,
        };

        // An unfinished operation decides what this run may do: resume the same one, or nothing but its rollback.
        OperationRecord? resumed = null;
        if (resumedRecord is not null && !fresh)
        {
            var sameOperation = string.Equals(resumedRecord.Target, target, StringComparison.OrdinalIgnoreCase)
                && (context.Argument("to") is not { } to || to.Trim().TrimStart('v') == resumedRecord.To);
            var isItsRollback = target is VantiqTargets.RollbackMinor or VantiqTargets.RollbackPatch;
            if (sameOperation) resumed = resumedRecord;
            else if (!isItsRollback)
                throw new InvalidInputException($"{server} records an unfinished {resumedRecord.Describe()}: run that target again to resume it, {VantiqTargets.RollbackMinor} to return to {resumedRecord.From}, or add --fresh to start over.");
        }

        switch (target)
        {
            case VantiqTargets.UpgradeMinor:
            {
                var to = RequireTo(context);
                var from = resumed is null ? current : ProductVersion.Parse(resumed.From, "recorded version");
                Rules.RequireMinorUpgrade(from, to);
                await RequireCronJobAsync(context, settings, cancellationToken).ConfigureAwait(false);
                return With(plan, from, to, resumed, resumed is null ? image : ImageReference.Parse(resumed.FromImage), null);
            }
            case VantiqTargets.UpgradePatch:
            {
                var to = RequireTo(context);
                var from = resumed is null ? current : ProductVersion.Parse(resumed.From, "recorded version");
                Rules.RequirePatchUpgrade(from, to);
                return With(plan, from, to, resumed, resumed is null ? image : ImageReference.Parse(resumed.FromImage), null);
            }
            case VantiqTargets.RollbackMinor:
            {
                // Back to where the unfinished upgrade started (with the backup it took), else to the last recorded ones.
                var (back, backupOfRecord) = RollbackSource(resumed, resumedRecord, previousImage, recordedBackup, image);
                var to = RollbackVersion(context, server, back);
                if (to > current) throw new InvalidInputException($"{to} is not earlier than the running {current}: use --target={VantiqTargets.UpgradeMinor}.");
                var backupId = context.Argument("backup") ?? backupOfRecord
                    ?? throw new InvalidInputException($"No backup is recorded on {server} (annotation {AnnotationStore.BackupId}): pass --backup=ID (a completed {settings.BackupCronJob} Job).");
                await RequireBackupAsync(context, settings, backupId, cancellationToken).ConfigureAwait(false);
                return With(plan, current, to, resumed, image, backupId);
            }
            case VantiqTargets.RollbackPatch:
            {
                var (back, _) = RollbackSource(resumed, resumedRecord, previousImage, null, image);
                var to = RollbackVersion(context, server, back);
                if (to.Major != current.Major || to.Minor != current.Minor || to >= current)
                    throw new InvalidInputException($"{to} is not an earlier patch of the running {current}: use --target={VantiqTargets.RollbackMinor} to return to another minor version.");
                return With(plan, current, to, resumed, image, null);
            }
            case VantiqTargets.MongoBackup:
                await RequireCronJobAsync(context, settings, cancellationToken).ConfigureAwait(false);
                return plan;
            case VantiqTargets.MongoRestore:
            {
                var backupId = context.Argument("backup")
                    ?? throw new InvalidInputException($"--backup=ID is required: the name of a completed {settings.BackupCronJob} Job (see kubectl get jobs -n {settings.Namespace}).");
                await RequireBackupAsync(context, settings, backupId, cancellationToken).ConfigureAwait(false);
                return With(plan, current, null, resumed, image, backupId);
            }
            default:
                throw new InvalidInputException($"'{target}' is not a Vantiq runbook target ({string.Join(", ", Targets)}).");
        }
    }

    private static VantiqPlan With(VantiqPlan plan, ProductVersion from, ProductVersion? to, OperationRecord? resumed, ImageReference fromImage, string? backupId) =>
        plan with { From = from, To = to, Resumed = resumed, FromImage = fromImage, RestoreBackupId = backupId };

    private static string Canonical(string? target) =>
        Targets.FirstOrDefault(t => string.Equals(t, target, StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidInputException($"The Vantiq steps run only as part of {string.Join(", ", Targets)}, not of '{target ?? "Default"}'.");

    private static ProductVersion RequireTo(RunbookContext context) =>
        context.Argument("to") is { Length: > 0 } to ? ProductVersion.Parse(to, "--to")
        : throw new InvalidInputException("--to=X.Y.Z is required: the version to deploy (for example --to=1.31.0).");

    /// <summary>The server's version container: the one named like the StatefulSet, else the first of the image repository, else the first.</summary>
    private static (string Container, ImageReference Image) ServerImage(WorkloadState state, VantiqSettings settings)
    {
        var container = state.Containers.FirstOrDefault(c => c.Name == settings.Server.Name)
            ?? state.Containers.FirstOrDefault(c => c.Image is { } i && ImageReference.Parse(i).Repository.EndsWith(settings.ImageRepository, StringComparison.Ordinal))
            ?? state.Containers.FirstOrDefault()
            ?? throw new InvalidInputException($"{state.Ref} has no containers.");
        return string.IsNullOrWhiteSpace(container.Image)
            ? throw new InvalidInputException($"Container {container.Name} of {state.Ref} has no image.")
            : (container.Name, ImageReference.Parse(container.Image));
    }

    private static async Task RequireCronJobAsync(RunbookContext context, VantiqSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            await new JobRunner(context.Kubernetes).ReadCronJobAsync(settings.Namespace, settings.BackupCronJob, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidInputException($"{e.Message.TrimEnd('.')} (profile {context.Profile.SourcePath}, vantiq.backupCronJob): the MongoDB backup cannot be taken.");
        }
    }

    /// <summary>A backup is a Job of the backup CronJob that completed: anything else is refused before anything stops.</summary>
    private static async Task RequireBackupAsync(RunbookContext context, VantiqSettings settings, string backupId, CancellationToken cancellationToken)
    {
        await RequireCronJobAsync(context, settings, cancellationToken).ConfigureAwait(false);
        V1Job job;
        try
        {
            job = await context.Kubernetes.BatchV1.ReadNamespacedJobAsync(backupId, settings.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            throw new InvalidInputException($"Backup {backupId} does not exist: no job {settings.Namespace}/{backupId} (see kubectl get jobs -n {settings.Namespace}).");
        }
        var fromCronJob = job.Metadata.OwnerReferences?.Any(o => o.Kind == "CronJob" && o.Name == settings.BackupCronJob) == true;
        if (!fromCronJob) throw new InvalidInputException($"Job {settings.Namespace}/{backupId} was not made from cronjob {settings.BackupCronJob}: it is not a backup.");
        if (JobRunner.Finished(job) is not { Type: "Complete" })
            throw new InvalidInputException($"Backup {backupId} did not complete (job {settings.Namespace}/{backupId} is {(JobRunner.Finished(job)?.Type ?? "still running")}): it cannot be restored.");
    }

    /// <summary>
    /// Where a rollback returns to and with which backup: a rollback being resumed keeps its own record; an unfinished
    /// upgrade gives the image it started from and the backup it took; otherwise the last recorded ones.
    /// </summary>
    private static (ImageReference? Image, string? BackupId) RollbackSource(OperationRecord? resumedRollback, OperationRecord? unfinished, ImageReference? previousImage, string? recordedBackup, ImageReference current)
    {
        if (resumedRollback is not null) return (current.WithTag(resumedRollback.To), resumedRollback.BackupId);
        if (unfinished is not null) return (ImageReference.Parse(unfinished.FromImage), unfinished.BackupId ?? recordedBackup);
        return (previousImage, recordedBackup);
    }

    private static ProductVersion RollbackVersion(RunbookContext context, Workload server, ImageReference? back) =>
        context.Argument("to") is { } explicitTo ? ProductVersion.Parse(explicitTo, "--to")
        : back?.Tag is { } tag && ProductVersion.TryParse(tag, out var t) ? t
        : throw new InvalidInputException($"No previous image is recorded on {server} (annotation {AnnotationStore.PreviousImage}): pass --to=X.Y.Z to say which version to return to.");

    private sealed class Holder : IRevalidatedUnderLock
    {
        public VantiqPlan? Plan { get; set; }
    }
}

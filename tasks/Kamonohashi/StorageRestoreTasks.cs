using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Backups;
using KubeRunbooks.Backups.Trees;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Kubernetes.Logging;
using KubeRunbooks.Kubernetes.Pods;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Downtime;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>Shows the verified set and what the restore will do; changes nothing (a bad set was refused while the plan was made).</summary>
[TaskName("StorageRestorePreflight")]
[TaskDescription("Checks --backup (verified in full: checksums, gzip, tar listing) and the storage; changes nothing")]
public sealed class StorageRestorePreflightTask : FrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override void Run(RunbookContext context)
    {
        var plan = StorageRestorePlan.Of(context);
        context.Log.Information("{0}", $"{KamonohashiTargets.StorageRestore} on cluster '{plan.Cluster}': set {plan.Set.Name} ({plan.ArchiveFile}, verified) into {plan.StorageDescription}" +
            $"{(plan.Delete ? ", --delete: paths the set does not hold are moved aside" : ", paths the set does not hold stay and are listed")}.");
        context.Journal.RecordFact("backupSet", plan.Set.Name);
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        StorageRestorePlan.Of((RunbookContext)context); // a bad set fails the dry run as it fails the run
        return [];
    }
}

/// <summary>
/// Stops the application while the storage changes (the seed stops KAMONOHASHI for a restore: deploy-kamonohashi.sh
/// clean app): its replicas are recorded on the Deployment first, so a rerun after a kill brings back the right count.
/// </summary>
[TaskName("StopKamonohashiAppForStorage")]
[TaskDescription("Records the application's replicas and scales it to 0 until the storage is restored")]
public sealed class StopAppForStorageTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var plan = StorageRestorePlan.Of(context);
        var downtime = StorageRestoreKit.Downtime(context, plan);
        var recorded = await downtime.RecordAsync(context.LockLost);
        context.Log.Information("{0}", $"Stopping {plan.Application} (recorded: {DowntimeWindow.Describe(recorded)}).");
        await downtime.StopAsync(context.LockLost);
        context.Journal.RecordFact("applicationStopped", DowntimeWindow.Describe(recorded));
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = StorageRestorePlan.Of((RunbookContext)context);
        yield return $"annotate {plan.Application} with its replicas, scale it to 0 and wait until its pods are gone";
    }
}

/// <summary>
/// The set's archive into the storage tree through a helper pod: what the restore replaces is moved aside into
/// <c>.kuberunbooks-aside-yyyyMMdd-HHmmssfff</c> under the tree (kept and named), the archive extracted, the tree
/// compared with the set's listing. A failure puts the tree back, brings the application back and says so.
/// </summary>
[TaskName("RestoreStorageTree")]
[TaskDescription("Extracts the set into the storage tree through a helper pod (what it replaces moved aside), then compares the tree with the set")]
public sealed class RestoreStorageTreeTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var plan = StorageRestorePlan.Of(context);
        var log = LineSinks.ToCakeLog(context.Log);
        var exec = new PodExec(context.Kubernetes);
        var aside = AsideName(DateTimeOffset.UtcNow);
        var downtime = StorageRestoreKit.Downtime(context, plan);
        var result = await downtime.BringBackOnFailureAsync<TreeRestoreResult, Exception>(
            async () =>
            {
                await using var pod = await VolumePod.StartAsync(context.Kubernetes, plan.Settings.Namespace, StoragePlan.HelperPod, "storage",
                    plan.Settings.StorageHelperImage, plan.Volume, plan.Settings.StorageNode, context.Profile.Timeouts.PodReady, context.LockLost);
                var restore = new TreeRestore(new PodBackups(exec), new PodTree(exec, pod.Container, VolumePod.MountPath), log);
                return await restore.RestoreAsync(plan.Set, plan.ArchiveFile, aside, plan.Delete, context.LockLost);
            },
            failure => context.Log.Error("{0}", $"The storage restore failed: {failure.Message} Bringing {plan.Application} back."),
            (failure, restored) => new StepFailedException(
                $"The storage restore from set {plan.Set.Name} failed: {failure.Message} {plan.Application} is back at {DowntimeWindow.Describe(restored)}; the helper pod was deleted.", failure),
            CancellationToken.None);

        var asideOnStorage = result.AsideFolder is null ? null : $"{plan.Settings.StoragePath.TrimEnd('/')}/{aside}";
        context.Log.Information("{0}", $"Restored {result.Entries} paths of set {plan.Set.Name} into {plan.StorageDescription}; the tree matches the set's listing (paths, sizes, modes, mtimes, SHA-256).");
        if (asideOnStorage is not null)
            context.Log.Information("{0}", $"Kept aside in {asideOnStorage} ({result.KeptAside.Count} paths the restore replaced or removed): {Sample(result.KeptAside)}. Delete it once it is not needed.");
        foreach (var extra in result.ExtrasLeft) context.Log.Information("{0}", $"not in the set, left in place (--delete would move it aside): {extra}");
        context.Journal.RecordFact("restoredPaths", result.Entries.ToString(System.Globalization.CultureInfo.InvariantCulture));
        context.Journal.RecordFact("keptAside", asideOnStorage is null ? "nothing (no content was replaced)" : $"{asideOnStorage}: {Sample(result.KeptAside)}");
        context.Journal.RecordFact("extrasLeft", result.ExtrasLeft.Count == 0 ? "none" : Sample(result.ExtrasLeft));
        if (plan.Delete) context.Journal.RecordFact("extrasMovedAside", result.ExtrasRemoved.Count == 0 ? "none" : Sample(result.ExtrasRemoved));
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = StorageRestorePlan.Of((RunbookContext)context);
        var aside = $"{plan.Settings.StoragePath.TrimEnd('/')}/{AsideName(DateTimeOffset.UtcNow)}";
        yield return $"create pod {plan.Settings.Namespace}/{StoragePlan.HelperPod} ({plan.StorageDescription} at {VolumePod.MountPath}); delete it afterwards";
        yield return $"move every path the set {plan.Set.Name} overwrites{(plan.Delete ? " and every path it does not hold" : "")} into {aside} (kept)";
        yield return $"extract {plan.ArchiveFile} into {plan.Settings.StoragePath} and compare the tree with the set's listing";
    }

    /// <summary>The aside folder's name for a restore started at <paramref name="at"/>.</summary>
    public static string AsideName(DateTimeOffset at) => $"{TreeListing.ReservedPrefix}aside-{at.UtcDateTime:yyyyMMdd-HHmmssfff}";

    private static string Sample(IReadOnlyList<string> paths) =>
        string.Join(", ", paths.Take(20)) + (paths.Count > 20 ? $", ... ({paths.Count} in all)" : "");
}

/// <summary>Brings the application back to its recorded replicas and waits until it is ready.</summary>
[TaskName("StartKamonohashiAppAfterStorage")]
[TaskDescription("Brings the application back to its recorded replicas after the storage restore")]
public sealed class StartAppAfterStorageTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var plan = StorageRestorePlan.Of(context);
        var restored = await StorageRestoreKit.Downtime(context, plan).BringBackAsync(context.LockLost);
        context.Log.Information("{0}", $"{plan.Application} is back: {DowntimeWindow.Describe(restored)}.");
        context.Journal.RecordFact("applicationBack", DowntimeWindow.Describe(restored));
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = StorageRestorePlan.Of((RunbookContext)context);
        yield return $"scale {plan.Application} back to its recorded replicas and wait until ready";
    }
}

using System.Globalization;
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

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>
/// The storage tree as <c>kqi-storage-yyyyMMdd.tar.gz</c> in a new backup set: a helper pod mounts the storage, GNU tar
/// in it streams the tree (modes, owners, times kept) over exec into the set, which is checksummed and verified before
/// it counts. The pod is deleted afterwards, also when the backup fails; a failed backup leaves no file under a final name.
/// </summary>
[TaskName("BackupStorage")]
[TaskDescription("Streams the KAMONOHASHI storage tree (tar.gz, modes and times kept) through a helper pod into a verified backup set")]
public sealed class BackupStorageTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var plan = StorageBackupPlan.Of(context);
        var log = LineSinks.ToCakeLog(context.Log);
        var exec = new PodExec(context.Kubernetes);
        var writer = BackupSetWriter.Create(plan.BackupFolder, StoragePlan.SetKind, plan.Cluster);
        var archive = StorageBackupPlan.ArchiveName(DateTimeOffset.UtcNow);
        context.Log.Information("{0}", $"Backing up {plan.StorageDescription} into {writer.Folder}/{archive}.");
        try
        {
            await using var pod = await VolumePod.StartAsync(context.Kubernetes, plan.Settings.Namespace, StoragePlan.HelperPod, "storage",
                plan.Settings.StorageHelperImage, plan.Volume, plan.Settings.StorageNode, context.Profile.Timeouts.PodReady, context.LockLost);
            var tree = new PodTree(exec, pod.Container, VolumePod.MountPath);
            var spec = new BackupFileSpec(archive, BackupContent.Tar, BackupCompression.Gzip)
            {
                Object = plan.StorageDescription,
                Command = $"tar cf - -C {plan.Settings.StoragePath} . (through pod {pod.Namespace}/{pod.Name})",
            };
            var entry = await new PodBackups(exec).DumpAsync(writer, spec, tree.ArchiveRequest(), LineSinks.Prefixed(log, "tar: "), null, context.LockLost);
            await writer.CompleteAsync(context.LockLost);
            context.Log.Information("{0}", $"Storage backup {writer.Name}: {entry.Name}, {entry.ContentSize} bytes of tar, {entry.Size} gzip, sha256 {entry.Sha256}; verified.");
            context.Journal.RecordFact("backupSet", writer.Name);
            context.Journal.RecordFact("archive", entry.Name);
            context.Journal.RecordFact("sha256", entry.Sha256);
            context.Journal.RecordFact("bytes", entry.ContentSize.ToString(CultureInfo.InvariantCulture));
        }
        catch (InvalidInputException e)
        {
            writer.Fail(e.Message); // e.g. a pod of that name not made by this tool: nothing was read
            throw;
        }
        catch (Exception e)
        {
            writer.Fail(e.Message);
            throw new StepFailedException($"The storage backup failed: {e.Message} No set was completed ({writer.Name} {(Directory.Exists(writer.Folder) ? "is marked failed" : "was removed")}); the helper pod was deleted.", e);
        }
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = StorageBackupPlan.Of((RunbookContext)context);
        yield return $"create pod {plan.Settings.Namespace}/{StoragePlan.HelperPod} (image {plan.Settings.StorageHelperImage}, {plan.StorageDescription} at {VolumePod.MountPath}); delete it afterwards";
        yield return $"write a {StoragePlan.SetKind} backup set in {plan.BackupFolder} ({StorageBackupPlan.ArchiveName(DateTimeOffset.UtcNow)}, manifest.json)";
    }
}

using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Backups;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>
/// The seed's ファイルのバックアップ取得: the ITA storage (<c>$ITA_STORAGEPATH</c> in the maintenance pod) as a tar
/// stream, gzip'd into the set as <c>exastro_storage_backup_ita_&lt;stamp&gt;.tar.gz</c>. The archive holds the
/// folder's content relative to it (<c>tar -C $ITA_STORAGEPATH .</c>), so the seed's restore
/// (<c>tar x -C ${ITA_STORAGEPATH}</c>) puts every file back at its own path.
/// </summary>
[TaskName("ArchiveExastroStorage")]
[TaskDescription("tar of $ITA_STORAGEPATH in the maintenance pod, gzip'd into the set as exastro_storage_backup_ita_<stamp>.tar.gz")]
public sealed class ArchiveExastroStorageTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <summary>The archive command.</summary>
    public const string Script = "exec tar cf - -C \"$ITA_STORAGEPATH\" .";

    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new ExastroKit(context);
        context.Facts.TryGet(ExastroFacts.BackupSet, out var set);
        context.Facts.TryGet(ExastroFacts.Stamp, out var stamp);
        var name = ExastroFiles.Storage(stamp);
        await kit.GuardAsync($"The storage archive {name}", async () =>
        {
            context.Log.Information($"Archiving the ITA storage into {name}.");
            var entry = await kit.Backups.DumpAsync(set, new BackupFileSpec(name, BackupContent.Tar, BackupCompression.Gzip),
                await kit.RequestAsync(Script), line => context.Log.Warning($"tar | {line}"), cancellationToken: kit.Token);
            context.Log.Information($"  {entry.Name}: {entry.ContentSize} bytes of tar, {entry.Size} gzip'd, sha256 {entry.Sha256}");
        }, StopExastroTask.FailSet(context));
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ((RunbookContext)context).Plan<ExastroBackupPlan>();
        yield return $"exec in {plan.Settings.Namespace}/{plan.Settings.MaintenancePod}: {Script} | gzip > {ExastroFiles.Storage("<yyyyMMdd-HHmmss>")}";
    }
}

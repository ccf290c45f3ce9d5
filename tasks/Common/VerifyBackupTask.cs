using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Backups;
using KubeRunbooks.Errors;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Common;

/// <summary>
/// Checks a backup set without touching the cluster: manifest complete, every file's size and SHA-256, gzip integrity,
/// tar listings, dump completion markers. The same check every restore runs first.
/// </summary>
[TaskName("VerifyBackup")]
[TaskDescription("Checks a backup set (--backup=SET: a set name in the profile's backup folder, or a folder): checksums, gzip, tar listings, completion markers")]
public sealed class VerifyBackupTask : AsyncFrostingTask<RunbookContext>
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var set = context.Argument("backup") ?? throw new InvalidInputException("VerifyBackup needs --backup=SET (a set name in the backup folder, or a set folder).");
        var store = new BackupStore(Path.Combine(context.Environment.WorkingDirectory.FullPath, context.Profile.Backups.Folder));
        var folder = store.Resolve(set);
        var result = await BackupVerifier.VerifyAsync(folder);
        if (result.Manifest is { } manifest)
        {
            context.Log.Information($"Set {Path.GetFileName(folder)}: {manifest.Kind} of cluster {manifest.Cluster}, {manifest.Started:u} to {manifest.Finished:u}, tool {manifest.ToolVersion}, result {manifest.Result}");
            foreach (var file in manifest.Files)
                context.Log.Information($"  {file.Name}: {file.Size} bytes ({file.ContentSize} of content), sha256 {file.Sha256}");
        }
        context.Journal.RecordFact("backupSet", Path.GetFileName(folder));
        context.Journal.RecordFact("backupGood", result.IsGood ? "true" : "false");
        if (!result.IsGood)
            throw new StepFailedException($"The backup set {Path.GetFileName(folder)} is not good: {string.Join("; ", result.Problems)}. Do not restore it.");
        context.Log.Information($"The backup set {Path.GetFileName(folder)} is good: every checksum, archive and completion marker checks out.");
    }
}

using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Backups;
using KubeRunbooks.Errors;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>The set verified as a whole (checksums, gzip, tar listing, dump markers) and its manifest written: only then is it a backup.</summary>
[TaskName("CompleteExastroBackup")]
[TaskDescription("Verifies the whole ExastroBackup set and writes its manifest.json (result complete)")]
public sealed class CompleteExastroBackupTask : AsyncFrostingTask<RunbookContext>
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        context.Facts.TryGet(ExastroFacts.BackupSet, out var set);
        try
        {
            var manifest = await set.CompleteAsync();
            context.Log.Information($"Backup set {set.Name} is complete: {manifest.Files.Count} files in {set.Folder}.");
            foreach (var file in manifest.Files) context.Log.Information($"  {file.Name}: {file.Size} bytes, sha256 {file.Sha256}");
        }
        catch (BackupFailedException e)
        {
            throw new StepFailedException($"{e.Message} The services are running again.", e);
        }
    }
}

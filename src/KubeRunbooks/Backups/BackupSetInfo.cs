namespace KubeRunbooks.Backups;

/// <summary>A folder found in the backup folder, with its manifest when it has a readable one.</summary>
/// <param name="Folder">The set's folder.</param>
/// <param name="Manifest">Its manifest, or null (unfinished, damaged or foreign: never deleted, never restored).</param>
/// <param name="Problem">Why the manifest could not be read, or empty.</param>
public sealed record BackupSetInfo(string Folder, BackupManifest? Manifest, string Problem)
{
    /// <summary>The set's name (its folder name).</summary>
    public string Name => Path.GetFileName(Folder);

    /// <summary>Whether the manifest is readable and says complete.</summary>
    public bool IsComplete => Manifest?.IsComplete == true;
}

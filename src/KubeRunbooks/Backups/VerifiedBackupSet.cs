namespace KubeRunbooks.Backups;

/// <summary>A set that passed <see cref="BackupVerifier.VerifyOrThrowAsync"/>: what restores take, so none reads an unverified set.</summary>
/// <param name="Folder">The set's folder.</param>
/// <param name="Manifest">Its manifest.</param>
public sealed record VerifiedBackupSet(string Folder, BackupManifest Manifest)
{
    /// <summary>The set's name.</summary>
    public string Name => Path.GetFileName(Folder);

    /// <summary>The manifest entry of <paramref name="fileName"/>.</summary>
    /// <exception cref="BackupFailedException">The set has no such file.</exception>
    public BackupFileEntry File(string fileName) =>
        Manifest.Files.FirstOrDefault(f => f.Name == fileName)
        ?? throw new BackupFailedException($"The backup set {Name} holds no file {fileName} (it holds: {string.Join(", ", Manifest.Files.Select(f => f.Name))}).");

    /// <summary>Opens a file's content, decompressed.</summary>
    public Stream OpenContent(string fileName) => BackupVerifier.OpenContent(Folder, File(fileName));
}

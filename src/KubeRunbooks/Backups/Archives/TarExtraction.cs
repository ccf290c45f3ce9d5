namespace KubeRunbooks.Backups.Archives;

/// <summary>What <see cref="TarFolder.Extract"/> wrote.</summary>
/// <param name="Files">Regular files written.</param>
/// <param name="Bytes">Bytes of those files.</param>
/// <param name="Entries">Every path the archive held, relative to the folder (with their parent folders).</param>
public sealed record TarExtraction(long Files, long Bytes, IReadOnlySet<string> Entries);

namespace KubeRunbooks.HostFiles;

/// <summary>A host archive written, checksummed and read back.</summary>
/// <param name="Path">The archive's final path.</param>
/// <param name="Sha256">Its SHA-256, lowercase hex (also in <c>PATH.sha256</c>).</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Present">The paths found and archived (globs expanded).</param>
/// <param name="Absent">The optional patterns that matched nothing.</param>
/// <param name="PackageSource">Where <c>packages.txt</c> came from (<c>rpm -qa</c>, <c>dpkg-query -W</c> or <c>none</c>).</param>
/// <param name="Entries">The number of entries in the archive.</param>
public sealed record HostArchiveResult(
    string Path,
    string Sha256,
    long Bytes,
    IReadOnlyList<string> Present,
    IReadOnlyList<string> Absent,
    string PackageSource,
    int Entries);

using System.Globalization;

namespace KubeRunbooks.Backups.Trees;

/// <summary>One path of a file tree as a listing compare sees it.</summary>
/// <param name="Path">Relative to the tree's root, '/'-separated, without a leading <c>./</c>.</param>
/// <param name="Kind">File, folder, link or other.</param>
/// <param name="Mode">Permission bits with setuid/setgid/sticky (<c>0o7777</c>).</param>
/// <param name="Size">Bytes of a file (0 otherwise).</param>
/// <param name="ModifiedSeconds">Modification time, whole seconds since the Unix epoch (what tar keeps).</param>
/// <param name="Sha256">SHA-256 of a file's bytes, or of a link's target text; null for folders.</param>
public sealed record TreeEntry(string Path, TreeEntryKind Kind, int Mode, long Size, long ModifiedSeconds, string? Sha256)
{
    /// <summary>
    /// Whether <paramref name="other"/> is the same content: kind, and for a file its mode, size, time and SHA-256, for
    /// a folder its mode and time, for a link its target (a link's own mode and time are not kept by every filesystem).
    /// </summary>
    public bool SameAs(TreeEntry other) => Kind == other.Kind && Kind switch
    {
        TreeEntryKind.File => Mode == other.Mode && Size == other.Size && ModifiedSeconds == other.ModifiedSeconds && Sha256 == other.Sha256,
        TreeEntryKind.Directory => Mode == other.Mode && ModifiedSeconds == other.ModifiedSeconds,
        TreeEntryKind.Link => Sha256 == other.Sha256,
        _ => true,
    };

    /// <summary>What differs from <paramref name="expected"/>, for messages (no content, only attributes).</summary>
    public string DifferenceFrom(TreeEntry expected)
    {
        if (Kind != expected.Kind) return $"{Path}: a {Kind.ToString().ToLowerInvariant()} where the set has a {expected.Kind.ToString().ToLowerInvariant()}";
        var parts = new List<string>();
        if (Kind != TreeEntryKind.Link && Mode != expected.Mode) parts.Add($"mode {Octal(Mode)} (set: {Octal(expected.Mode)})");
        if (Kind == TreeEntryKind.File && Size != expected.Size) parts.Add($"size {Size} (set: {expected.Size})");
        if (Kind != TreeEntryKind.Link && ModifiedSeconds != expected.ModifiedSeconds) parts.Add($"mtime {Time(ModifiedSeconds)} (set: {Time(expected.ModifiedSeconds)})");
        if (Kind is TreeEntryKind.File or TreeEntryKind.Link && Sha256 != expected.Sha256) parts.Add(Kind == TreeEntryKind.Link ? "link target" : "SHA-256");
        return $"{Path}: {string.Join(", ", parts)}";
    }

    /// <summary>A mode as octal text, e.g. <c>0644</c>.</summary>
    public static string Octal(int mode) => "0" + Convert.ToString(mode, 8);

    private static string Time(long seconds) =>
        DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

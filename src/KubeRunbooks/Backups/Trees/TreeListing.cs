using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ICSharpCode.SharpZipLib.Tar;

namespace KubeRunbooks.Backups.Trees;

/// <summary>
/// The listing of a file tree (path, kind, mode, size, mtime, SHA-256), read from a tar archive (what a restore must
/// produce) or from a folder in a container (what is there), so the two can be compared.
/// </summary>
public static class TreeListing
{
    /// <summary>
    /// The prefix of the top-level names this tool keeps in a tree for itself (folders of what a restore moved aside):
    /// never listed, archived or restored.
    /// </summary>
    public const string ReservedPrefix = ".kuberunbooks-";

    /// <summary>
    /// The shell script (POSIX <c>sh</c>, <c>find</c>, <c>stat -c</c>, <c>sha256sum</c>, <c>readlink</c>) that lists the
    /// folder <c>$1</c>: one line per path, <c>KIND TAB MODE TAB SIZE TAB MTIME TAB SHA TAB PATH</c>; paths with a line
    /// break are refused (exit 3), a failing <c>stat</c> or hash fails the listing.
    /// </summary>
    public const string ListScript =
        "cd \"$1\" || exit 1; " +
        "find . -mindepth 1 \\( -path './" + ReservedPrefix + "*' -prune \\) -o -print | { " +
        "while IFS= read -r p; do " +
        "if [ ! -e \"$p\" ] && [ ! -L \"$p\" ]; then echo \"a path with a line break or that vanished: $p\" >&2; exit 3; fi; " +
        "if [ -L \"$p\" ]; then k=l; h=$(printf '%s' \"$(readlink -- \"$p\")\" | sha256sum) || exit 1; " +
        "elif [ -d \"$p\" ]; then k=d; h=-; " +
        "elif [ -f \"$p\" ]; then k=f; h=$(sha256sum < \"$p\") || exit 1; " +
        "else k=o; h=-; fi; " +
        "s=$(stat -c '%a %s %Y' -- \"$p\") || exit 1; " +
        "set -- $s; printf '%s\\t%s\\t%s\\t%s\\t%s\\t%s\\n' \"$k\" \"$1\" \"$2\" \"$3\" \"${h%% *}\" \"${p#./}\" || exit 1; " +
        "done; }";

    /// <summary>Parses the output of <see cref="ListScript"/>.</summary>
    /// <exception cref="InvalidDataException">A line is not in the listing's format.</exception>
    public static IReadOnlyList<TreeEntry> Parse(string output)
    {
        var entries = new List<TreeEntry>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split('\t', 6);
            if (f.Length != 6 || f[0].Length != 1 || f[5].Length == 0)
                throw new InvalidDataException($"The tree listing has a line that is not 'KIND MODE SIZE MTIME SHA PATH': '{line}'.");
            var kind = f[0] switch { "f" => TreeEntryKind.File, "d" => TreeEntryKind.Directory, "l" => TreeEntryKind.Link, _ => TreeEntryKind.Other };
            entries.Add(new TreeEntry(f[5], kind,
                Convert.ToInt32(f[1], 8) & 0xFFF,
                kind == TreeEntryKind.File ? long.Parse(f[2], CultureInfo.InvariantCulture) : 0,
                long.Parse(f[3], CultureInfo.InvariantCulture),
                kind is TreeEntryKind.File or TreeEntryKind.Link ? f[4] : null));
        }
        return entries;
    }

    /// <summary>The listing a tar archive (decompressed) describes, content hashed as it is read; the root entry is left out.</summary>
    /// <param name="tarStream">The archive.</param>
    /// <exception cref="InvalidDataException">An entry is absolute, has <c>..</c>, or a hard link names no earlier file.</exception>
    public static IReadOnlyList<TreeEntry> FromTar(Stream tarStream)
    {
        var entries = new List<TreeEntry>();
        var byPath = new Dictionary<string, TreeEntry>(StringComparer.Ordinal);
        using var tar = new TarInputStream(tarStream, Encoding.UTF8) { IsStreamOwner = false };
        TarEntry? entry;
        while ((entry = tar.GetNextEntry()) is not null)
        {
            var path = Normalize(entry.Name);
            if (path.Length == 0) continue;
            var header = entry.TarHeader;
            var mode = header.Mode & 0xFFF;
            var seconds = new DateTimeOffset(DateTime.SpecifyKind(entry.ModTime, DateTimeKind.Utc)).ToUnixTimeSeconds();
            TreeEntry listed;
            switch (header.TypeFlag)
            {
                case TarHeader.LF_DIR:
                    listed = new TreeEntry(path, TreeEntryKind.Directory, mode, 0, seconds, null);
                    break;
                case TarHeader.LF_SYMLINK:
                    listed = new TreeEntry(path, TreeEntryKind.Link, mode, 0, seconds, Sha(Encoding.UTF8.GetBytes(header.LinkName)));
                    break;
                case TarHeader.LF_LINK:
                    // A hard link: the same file as an earlier entry.
                    var target = Normalize(header.LinkName);
                    listed = byPath.TryGetValue(target, out var first) && first.Kind == TreeEntryKind.File
                        ? first with { Path = path }
                        : throw new InvalidDataException($"The archive's hard link '{entry.Name}' names '{header.LinkName}', which is no earlier file.");
                    break;
                case TarHeader.LF_NORMAL or TarHeader.LF_OLDNORM or TarHeader.LF_CONTIG:
                    using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
                    {
                        var buffer = new byte[81920];
                        long size = 0;
                        int n;
                        while ((n = tar.Read(buffer, 0, buffer.Length)) > 0)
                        {
                            sha.AppendData(buffer, 0, n);
                            size += n;
                        }
                        listed = new TreeEntry(path, TreeEntryKind.File, mode, size, seconds, Convert.ToHexStringLower(sha.GetHashAndReset()));
                    }
                    break;
                default:
                    listed = new TreeEntry(path, TreeEntryKind.Other, mode, 0, seconds, null);
                    break;
            }
            entries.Add(listed);
            byPath[path] = listed;
        }
        return entries;
    }

    private static string Normalize(string name)
    {
        if (name.StartsWith('/')) throw new InvalidDataException($"The archive entry '{name}' is an absolute path.");
        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Contains("..")) throw new InvalidDataException($"The archive entry '{name}' climbs out of its folder ('..').");
        return string.Join('/', parts);
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}

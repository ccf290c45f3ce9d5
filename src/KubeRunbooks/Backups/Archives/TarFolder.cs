using System.Text;
using ICSharpCode.SharpZipLib.Tar;

namespace KubeRunbooks.Backups.Archives;

/// <summary>
/// A local folder to a tar stream and back (SharpZipLib), with Unix modes and modification times kept and
/// symbolic links stored as links. Entry names are relative (<c>./a/b</c>, as <c>tar cf - -C DIR .</c> writes them).
/// </summary>
public static class TarFolder
{
    private const int ModeMask = 0xFFF; // permission and setuid/setgid/sticky bits

    /// <summary>Writes the contents of <paramref name="folder"/> (not the folder itself) as a tar stream.</summary>
    /// <param name="folder">The local folder.</param>
    /// <param name="output">Receives the tar stream; left open.</param>
    /// <returns>The entry names written (<c>./NAME</c>, folders included), for a mirror's keep list.</returns>
    public static IReadOnlyList<string> Write(string folder, Stream output)
    {
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"The folder {root} does not exist.");
        var names = new List<string>();
        using var tar = new TarOutputStream(output, Encoding.UTF8) { IsStreamOwner = false };
        foreach (var path in Enumerate(root))
        {
            var name = "./" + Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
            var info = new FileInfo(path);
            var entry = TarEntry.CreateTarEntry(name);
            var header = entry.TarHeader;
            header.ModTime = info.LastWriteTimeUtc;
            if (!OperatingSystem.IsWindows()) header.Mode = (int)File.GetUnixFileMode(path) & ModeMask;
            if (info.LinkTarget is { } target)
            {
                header.TypeFlag = TarHeader.LF_SYMLINK;
                header.LinkName = target;
                header.Size = 0;
                tar.PutNextEntry(entry);
            }
            else if (Directory.Exists(path))
            {
                header.TypeFlag = TarHeader.LF_DIR;
                header.Name = name + "/";
                header.Size = 0;
                tar.PutNextEntry(entry);
            }
            else
            {
                header.TypeFlag = TarHeader.LF_NORMAL;
                header.Size = info.Length;
                tar.PutNextEntry(entry);
                using var file = File.OpenRead(path);
                var copied = CopyExactly(file, tar, info.Length);
                if (copied != info.Length) throw new IOException($"{path} changed size while it was archived.");
            }
            tar.CloseEntry();
            names.Add(name);
        }
        tar.Finish();
        return names;
    }

    /// <summary>
    /// Extracts a tar stream into <paramref name="folder"/> (created when missing). Entries that would land outside
    /// it (absolute, <c>..</c>, a link pointing out) are refused. Nothing is deleted here: a mirror calls
    /// <see cref="DeleteExtras"/> once the source has confirmed the archive complete.
    /// </summary>
    /// <param name="input">The tar stream.</param>
    /// <param name="folder">The destination folder.</param>
    /// <returns>What was extracted.</returns>
    public static TarExtraction Extract(Stream input, string folder)
    {
        var root = Path.GetFullPath(folder);
        Directory.CreateDirectory(root);
        var kept = new HashSet<string>(StringComparer.Ordinal);
        var folderModes = new List<(string Path, UnixFileMode Mode, DateTime Time)>();
        long files = 0, bytes = 0;
        using var tar = new TarInputStream(input, Encoding.UTF8) { IsStreamOwner = false };
        TarEntry? entry;
        while ((entry = tar.GetNextEntry()) is not null)
        {
            var relative = Normalize(entry.Name);
            if (relative.Length == 0) continue; // "./" itself
            var target = Path.GetFullPath(Path.Combine(root, relative));
            if (!IsInside(root, target)) throw new InvalidDataException($"The archive entry '{entry.Name}' would be written outside {root}.");
            kept.Add(target);
            for (var parent = Path.GetDirectoryName(target); parent is not null && parent.Length > root.Length; parent = Path.GetDirectoryName(parent))
                kept.Add(parent);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var mode = (UnixFileMode)(entry.TarHeader.Mode & ModeMask);
            switch (entry.TarHeader.TypeFlag)
            {
                case TarHeader.LF_DIR:
                    Directory.CreateDirectory(target);
                    folderModes.Add((target, mode, entry.ModTime));
                    break;
                case TarHeader.LF_SYMLINK:
                    var link = entry.TarHeader.LinkName;
                    var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(target)!, link));
                    if (Path.IsPathRooted(link) || !IsInside(root, resolved))
                        throw new InvalidDataException($"The archive's link '{entry.Name}' points outside the folder ({link}).");
                    DeleteAny(target);
                    File.CreateSymbolicLink(target, link);
                    break;
                case TarHeader.LF_NORMAL or TarHeader.LF_OLDNORM or TarHeader.LF_CONTIG:
                    if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
                    using (var file = new FileStream(target, FileMode.Create, FileAccess.Write))
                    {
                        tar.CopyEntryContents(file);
                        bytes += file.Length;
                    }
                    if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(target, mode);
                    File.SetLastWriteTimeUtc(target, entry.ModTime);
                    files++;
                    break;
                default:
                    throw new InvalidDataException($"The archive entry '{entry.Name}' is of a kind not copied (tar type '{(char)entry.TarHeader.TypeFlag}').");
            }
        }
        // Folder modes last: a read-only folder would refuse the files written into it.
        foreach (var (path, mode, time) in folderModes.AsEnumerable().Reverse())
        {
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, mode);
            Directory.SetLastWriteTimeUtc(path, time);
        }
        return new TarExtraction(files, bytes, kept.Select(p => Path.GetRelativePath(root, p)).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Deletes under <paramref name="folder"/> every file and folder not in <paramref name="entries"/> (<c>rsync --delete</c>).</summary>
    /// <param name="folder">The folder mirrored.</param>
    /// <param name="entries">Paths relative to the folder that stay (an extraction's <see cref="TarExtraction.Entries"/>).</param>
    /// <returns>The relative paths deleted.</returns>
    public static IReadOnlyList<string> DeleteExtras(string folder, IReadOnlySet<string> entries)
    {
        var root = Path.GetFullPath(folder);
        var deleted = new List<string>();
        foreach (var path in Enumerate(root).Reverse()) // children before their folder
        {
            var relative = Path.GetRelativePath(root, path);
            if (entries.Contains(relative)) continue;
            DeleteAny(path);
            deleted.Add(relative);
        }
        return deleted;
    }

    /// <summary>Every path under <paramref name="root"/>, parents before children, in ordinal order; links are not followed.</summary>
    private static IEnumerable<string> Enumerate(string root)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(root).Order(StringComparer.Ordinal))
        {
            yield return path;
            if (Directory.Exists(path) && new FileInfo(path).LinkTarget is null)
                foreach (var child in Enumerate(path)) yield return child;
        }
    }

    private static string Normalize(string name)
    {
        var parts = name.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (name.StartsWith('/')) throw new InvalidDataException($"The archive entry '{name}' is an absolute path.");
        return string.Join(Path.DirectorySeparatorChar, parts);
    }

    private static bool IsInside(string root, string path) =>
        path.StartsWith(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static void DeleteAny(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || File.Exists(path)) File.Delete(path);
        else if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }

    private static long CopyExactly(Stream from, Stream to, long length)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while (total < length && (read = from.Read(buffer, 0, (int)Math.Min(buffer.Length, length - total))) > 0)
        {
            to.Write(buffer, 0, read);
            total += read;
        }
        return total;
    }
}

using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using ICSharpCode.SharpZipLib.Tar;

namespace KubeRunbooks.Backups;

/// <summary>
/// Checks a backup set before anything relies on it: the manifest is readable and says complete; every file is there
/// with its recorded size and SHA-256; gzip files decompress whole; tar archives list to the end with every entry at
/// its declared size; dumps end with their tool's completion marker. Every restore calls
/// <see cref="VerifyOrThrowAsync"/> before it stops anything.
/// </summary>
public static class BackupVerifier
{
    private const int BufferSize = 1024 * 1024;

    /// <summary>Verifies the set in <paramref name="setFolder"/>.</summary>
    /// <param name="setFolder">The set's folder.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The manifest (when readable) and every problem found.</returns>
    public static async Task<BackupVerification> VerifyAsync(string setFolder, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(setFolder))
            return new BackupVerification(setFolder, null, [$"the set folder {setFolder} does not exist"]);
        var manifest = BackupManifest.TryRead(setFolder, out var error);
        if (manifest is null) return new BackupVerification(setFolder, null, [error]);
        var problems = new List<string>();
        if (!manifest.IsComplete) problems.Add($"the set's result is '{manifest.Result}'{(manifest.Error is null ? "" : $": {manifest.Error}")}");
        if (manifest.Files.Count == 0) problems.Add("the set holds no files");
        problems.AddRange(await VerifyFilesAsync(setFolder, manifest.Files, cancellationToken).ConfigureAwait(false));
        return new BackupVerification(setFolder, manifest, problems);
    }

    /// <summary>Verifies the set and throws when it is not good: what a restore does first.</summary>
    /// <returns>The good set.</returns>
    /// <exception cref="BackupFailedException">The set failed verification; the message lists every problem.</exception>
    public static async Task<VerifiedBackupSet> VerifyOrThrowAsync(string setFolder, CancellationToken cancellationToken = default)
    {
        var result = await VerifyAsync(setFolder, cancellationToken).ConfigureAwait(false);
        if (!result.IsGood)
            throw new BackupFailedException($"The backup set {Path.GetFileName(setFolder)} failed verification: {string.Join("; ", result.Problems)}.");
        return new VerifiedBackupSet(Path.GetFullPath(setFolder), result.Manifest!);
    }

    /// <summary>Checks files against their manifest entries.</summary>
    /// <returns>One line per problem; empty when all are good.</returns>
    public static async Task<IReadOnlyList<string>> VerifyFilesAsync(string setFolder, IEnumerable<BackupFileEntry> files, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        foreach (var entry in files)
        {
            var problem = await VerifyFileAsync(setFolder, entry, cancellationToken).ConfigureAwait(false);
            if (problem is not null) problems.Add($"{entry.Name}: {problem}");
        }
        return problems;
    }

    /// <summary>Opens a verified file's content (decompressed) for a restore.</summary>
    /// <param name="setFolder">The set's folder.</param>
    /// <param name="entry">The file's manifest entry.</param>
    public static Stream OpenContent(string setFolder, BackupFileEntry entry)
    {
        var file = new FileStream(Path.Combine(setFolder, entry.Name), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        return entry.Compression == BackupCompression.Gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    private static async Task<string?> VerifyFileAsync(string setFolder, BackupFileEntry entry, CancellationToken cancellationToken)
    {
        var path = Path.Combine(setFolder, entry.Name);
        if (entry.Name != Path.GetFileName(entry.Name)) return "the manifest names a path outside the set";
        if (!File.Exists(path)) return "missing";
        var size = new FileInfo(path).Length;
        if (size != entry.Size) return $"{size} bytes where the manifest records {entry.Size} (truncated or changed)";
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var head = new byte[CompletionMarkers.HeadBytes];
        var headLength = 0;
        var tail = new TailBuffer(CompletionMarkers.TailBytes);
        long contentBytes = 0;
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
            await using var hashed = new HashingReadStream(file, sha);
            await using Stream content = entry.Compression == BackupCompression.Gzip ? new GZipStream(hashed, CompressionMode.Decompress, leaveOpen: true) : hashed;
            if (entry.Content == BackupContent.Tar)
            {
                var listing = ListTar(content, out contentBytes);
                if (listing is not null) return listing;
                await hashed.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false); // the rest still counts for the checksum
            }
            else
            {
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (headLength < head.Length)
                    {
                        var n = Math.Min(read, head.Length - headLength);
                        buffer.AsSpan(0, n).CopyTo(head.AsSpan(headLength));
                        headLength += n;
                    }
                    tail.Add(buffer.AsSpan(0, read));
                    contentBytes += read;
                }
            }
        }
        catch (InvalidDataException e)
        {
            return $"the gzip data is corrupt ({e.Message})";
        }
        var actual = Convert.ToHexStringLower(sha.GetHashAndReset());
        if (!actual.Equals(entry.Sha256, StringComparison.OrdinalIgnoreCase)) return $"SHA-256 {actual} does not match the manifest's {entry.Sha256} (corrupted)";
        if (contentBytes != entry.ContentSize) return $"{contentBytes} bytes of content where the manifest records {entry.ContentSize}";
        return CompletionMarkers.Check(entry.Content, head.AsSpan(0, headLength), tail.ToArray());
    }

    private static string? ListTar(Stream content, out long bytes)
    {
        bytes = 0;
        var counting = new CountingReadStream(content);
        try
        {
            using var tar = new TarInputStream(counting, Encoding.UTF8) { IsStreamOwner = false };
            var buffer = new byte[BufferSize];
            var entries = 0;
            long minimum = 1024; // the end-of-archive blocks
            TarEntry? entry;
            while ((entry = tar.GetNextEntry()) is not null)
            {
                entries++;
                minimum += 512 + (entry.IsDirectory ? 0 : (entry.Size + 511) / 512 * 512);
                long read = 0;
                int n;
                while ((n = tar.Read(buffer, 0, buffer.Length)) > 0) read += n;
                if (!entry.IsDirectory && read != entry.Size) return $"the tar entry '{entry.Name}' has {read} of its {entry.Size} bytes (truncated)";
            }
            if (entries == 0) return "the tar archive lists no entries";
            counting.CopyTo(Stream.Null);
            bytes = counting.Count;
            // SharpZipLib pads a short last record with zeros: the size is what shows a cut archive.
            return bytes < minimum ? $"the tar archive is truncated ({bytes} bytes where its entries need at least {minimum})" : null;
        }
        catch (TarException e)
        {
            return $"the tar listing fails ({e.Message})";
        }
    }
}

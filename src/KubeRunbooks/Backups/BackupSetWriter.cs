using System.Globalization;
using System.Reflection;
using KubeRunbooks.Backups.Compression;
using KubeRunbooks.Reporting;

namespace KubeRunbooks.Backups;

/// <summary>
/// Writes one backup set: a folder <c>KIND-yyyyMMdd-HHmmss</c> (UTC) under the backup folder, each file written under
/// a temporary name (<c>.NAME.partial</c>, mode 0600), checksummed as it is written, checked for its tool's completion
/// marker and renamed only then; <see cref="CompleteAsync"/> verifies the whole set (<see cref="BackupVerifier"/>) and
/// writes <c>manifest.json</c> last. A failed file leaves nothing under its final name.
/// </summary>
public sealed class BackupSetWriter
{
    private readonly List<BackupFileEntry> _files = [];
    private readonly TimeProvider _clock;
    private readonly string _kind;
    private readonly string _cluster;
    private readonly DateTimeOffset _started;
    private bool _closed;

    private BackupSetWriter(string folder, string kind, string cluster, DateTimeOffset started, TimeProvider clock)
    {
        Folder = folder;
        _kind = kind;
        _cluster = cluster;
        _started = started;
        _clock = clock;
    }

    /// <summary>The set's folder.</summary>
    public string Folder { get; }

    /// <summary>The set's name (its folder name), what <c>--backup=</c> takes.</summary>
    public string Name => Path.GetFileName(Folder);

    /// <summary>The files written so far.</summary>
    public IReadOnlyList<BackupFileEntry> Files => _files;

    /// <summary>The tool version recorded in manifests.</summary>
    public static string ToolVersion { get; } =
        typeof(BackupSetWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Creates the set's folder (mode 0700) under <paramref name="backupFolder"/>.</summary>
    /// <param name="backupFolder">The profile's backup folder (created when missing).</param>
    /// <param name="kind">What kind of backup, e.g. <c>postgres</c>: the folder name's start, and what retention counts.</param>
    /// <param name="cluster">The cluster profile name, recorded.</param>
    /// <param name="clock">The clock; the system's by default.</param>
    public static BackupSetWriter Create(string backupFolder, string kind, string cluster, TimeProvider? clock = null)
    {
        if (kind.Length == 0 || kind.IndexOfAny(['/', '\\', '.']) >= 0 || kind.Any(char.IsWhiteSpace))
            throw new ArgumentException($"'{kind}' is not a backup kind (letters, digits, '-' and '_').", nameof(kind));
        clock ??= TimeProvider.System;
        var started = clock.GetUtcNow();
        CreatePrivateFolder(backupFolder);
        var stamp = started.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        for (var n = 1; ; n++)
        {
            var folder = Path.Combine(Path.GetFullPath(backupFolder), n == 1 ? $"{kind}-{stamp}" : $"{kind}-{stamp}-{n}");
            if (Directory.Exists(folder)) continue;
            CreatePrivateFolder(folder);
            return new BackupSetWriter(folder, kind, cluster, started, clock);
        }
    }

    /// <summary>
    /// Writes one file: <paramref name="produce"/> writes the content (uncompressed) to the stream it is given; the
    /// file is compressed as <paramref name="spec"/> says, hashed, flushed to disk, checked, then renamed.
    /// </summary>
    /// <param name="spec">Its name, content kind, compression and provenance.</param>
    /// <param name="produce">Writes the content; an exception from it fails the file.</param>
    /// <param name="progress">Receives the content bytes written so far, or null.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The manifest entry.</returns>
    /// <exception cref="BackupFailedException">The content is incomplete (no completion marker).</exception>
    public async Task<BackupFileEntry> WriteFileAsync(BackupFileSpec spec, Func<Stream, CancellationToken, Task> produce,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (spec.Name.Length == 0 || spec.Name != Path.GetFileName(spec.Name) || spec.Name.StartsWith('.') || spec.Name == BackupManifest.FileName)
            throw new ArgumentException($"'{spec.Name}' is not a file name for a backup set.", nameof(spec));
        var final = Path.Combine(Folder, spec.Name);
        if (File.Exists(final) || _files.Any(f => f.Name == spec.Name))
            throw new ArgumentException($"The set {Name} already holds {spec.Name}.", nameof(spec));
        var temp = Path.Combine(Folder, $".{spec.Name}.partial");
        var started = _clock.GetUtcNow();
        try
        {
            long size, contentSize;
            string sha;
            await using (var file = new FileStream(temp, PrivateFileOptions()))
            {
                using var hashing = new HashingStream(file);
                var compressor = spec.Compression == BackupCompression.Gzip ? new ParallelGzipStream(hashing, leaveOpen: true) : null;
                var tap = new ContentTap(compressor ?? (Stream)hashing);
                await using (var counted = new ProgressStream(tap, progress))
                    await produce(counted, cancellationToken).ConfigureAwait(false);
                if (compressor is not null) await compressor.FinishAsync(cancellationToken).ConfigureAwait(false);
                await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
                if (CompletionMarkers.Check(spec.Content, tap.Head, tap.Tail()) is { } problem)
                    throw new BackupFailedException($"{spec.Name} {problem}; received {tap.Length} bytes.");
                size = hashing.Length;
                contentSize = tap.Length;
                sha = hashing.Sha256();
            }
            File.Move(temp, final, overwrite: false);
            var entry = new BackupFileEntry
            {
                Name = spec.Name,
                Content = spec.Content,
                Compression = spec.Compression,
                Namespace = spec.Namespace,
                Object = spec.Object,
                Command = spec.Command,
                Size = size,
                ContentSize = contentSize,
                Sha256 = sha,
                Started = started,
                Finished = _clock.GetUtcNow(),
            };
            _files.Add(entry);
            return entry;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Adds a file already complete in memory (a Secret's YAML, a key file), with the same guarantees.</summary>
    public Task<BackupFileEntry> WriteBytesAsync(BackupFileSpec spec, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        WriteFileAsync(spec, (stream, ct) => stream.WriteAsync(content, ct).AsTask(), null, cancellationToken);

    /// <summary>
    /// Verifies every file (checksums, gzip integrity, tar listings, markers) and writes the manifest with result
    /// <c>complete</c>; when verification fails the manifest says <c>failed</c> and the exception says why.
    /// </summary>
    /// <returns>The manifest written.</returns>
    /// <exception cref="BackupFailedException">A file failed verification.</exception>
    public async Task<BackupManifest> CompleteAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        var problems = await BackupVerifier.VerifyFilesAsync(Folder, _files, cancellationToken).ConfigureAwait(false);
        if (problems.Count > 0)
        {
            var error = $"The set {Name} failed verification: {string.Join("; ", problems)}";
            Fail(error);
            throw new BackupFailedException(error);
        }
        var manifest = Manifest(BackupManifest.Complete, null);
        AtomicFile.WriteAllText(Path.Combine(Folder, BackupManifest.FileName), manifest.ToJson());
        _closed = true;
        return manifest;
    }

    /// <summary>
    /// Ends a set whose run failed: a set with no finished file is removed; otherwise its manifest records the failure
    /// (kept for inspection, refused by verification and restores, and removed by retention once a newer good set exists).
    /// </summary>
    /// <param name="error">What happened (no secrets).</param>
    public void Fail(string error)
    {
        if (_closed) return;
        _closed = true;
        foreach (var partial in Directory.EnumerateFiles(Folder, ".*.partial")) File.Delete(partial);
        if (_files.Count == 0 && !Directory.EnumerateFileSystemEntries(Folder).Any())
        {
            Directory.Delete(Folder);
            return;
        }
        AtomicFile.WriteAllText(Path.Combine(Folder, BackupManifest.FileName), Manifest(BackupManifest.Failed, error).ToJson());
    }

    private BackupManifest Manifest(string result, string? error) => new()
    {
        Kind = _kind,
        Cluster = _cluster,
        ToolVersion = ToolVersion,
        Started = _started,
        Finished = _clock.GetUtcNow(),
        Result = result,
        Error = error,
        Files = _files.ToList(),
    };

    private static FileStreamOptions PrivateFileOptions()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 1024 * 1024 };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = AtomicFile.PrivateFile;
        return options;
    }

    private static void CreatePrivateFolder(string folder)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else Directory.CreateDirectory(folder, AtomicFile.PrivateFolder);
    }
}

using System.IO.Pipelines;
using System.Text;
using KubeRunbooks.Backups.Archives;

namespace KubeRunbooks.Kubernetes.Exec;

/// <summary>
/// Files and folders in and out of a container by tar over exec, as <c>kubectl cp</c> does (<c>tar cf -</c> read
/// from stdout; <c>tar xmf -</c> fed on stdin), with modes kept, and a mirror mode that deletes what the source does
/// not hold (<c>rsync --delete</c>). Needs <c>tar</c> and <c>sh</c> in the container.
/// </summary>
public sealed class PodFiles
{
    /// <summary>The script that deletes, under the folder <c>$1</c>, every path not listed on stdin (one <c>./PATH</c> a line); prints what it deleted.</summary>
    internal const string DeleteExtrasScript =
        "cd \"$1\" || exit 1; keep=$(mktemp) || exit 1; cat > \"$keep\" || exit 1; " +
        "find . -mindepth 1 -depth | grep -Fxv -f \"$keep\" | while IFS= read -r p; do rm -rf -- \"$p\" || exit 1; printf '%s\\n' \"$p\"; done; " +
        "rc=$?; rm -f \"$keep\"; exit $rc";

    private readonly PodExec _exec;

    /// <summary>Creates the copier over an exec runner.</summary>
    public PodFiles(PodExec exec) => _exec = exec;

    /// <summary>Copies the contents of <paramref name="remoteFolder"/> in the container into <paramref name="localFolder"/>.</summary>
    /// <param name="container">Where the folder is.</param>
    /// <param name="remoteFolder">The folder in the container.</param>
    /// <param name="localFolder">The local folder (created when missing).</param>
    /// <param name="mirror">Delete local files and folders the container's folder does not hold.</param>
    /// <param name="stderrLine">Receives tar's stderr lines, or null.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>What was written and deleted locally.</returns>
    public async Task<FolderCopy> CopyFromAsync(PodContainer container, string remoteFolder, string localFolder, bool mirror = false,
        Action<string>? stderrLine = null, CancellationToken cancellationToken = default)
    {
        var extracted = await ReadTarAsync(container, remoteFolder, [], input => TarFolder.Extract(input, localFolder), stderrLine, cancellationToken).ConfigureAwait(false);
        // Extras are deleted only once tar in the container has exited 0: a cut or failed copy deletes nothing.
        return new FolderCopy(extracted.Files, extracted.Bytes, mirror ? TarFolder.DeleteExtras(localFolder, extracted.Entries) : []);
    }

    /// <summary>
    /// Streams <c>tar cf - -C FOLDER -- PATHS</c> (the whole folder when <paramref name="paths"/> is empty) from the
    /// container into <paramref name="read"/>, which runs beside the exec and reads the tar stream as it comes (owners,
    /// modes and times as the container has them), so memory does not grow with the files' size.
    /// </summary>
    /// <param name="container">Where the files are.</param>
    /// <param name="folder">The folder the paths are relative to.</param>
    /// <param name="paths">The paths to put in the stream; empty: the folder's whole contents.</param>
    /// <param name="read">Reads the tar stream; its failure stops the exec and is thrown.</param>
    /// <param name="stderrLine">Receives tar's stderr lines, or null.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>What <paramref name="read"/> returned, once tar in the container has exited 0.</returns>
    /// <exception cref="ExecFailedException">tar exited non-zero, or the stream was cut.</exception>
    public async Task<T> ReadTarAsync<T>(PodContainer container, string folder, IReadOnlyList<string> paths, Func<Stream, T> read,
        Action<string>? stderrLine = null, CancellationToken cancellationToken = default)
    {
        var pipe = new Pipe();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(() =>
        {
            try
            {
                using var input = pipe.Reader.AsStream();
                var result = read(input);
                input.CopyTo(Stream.Null); // tar's record padding after the end blocks
                return result;
            }
            catch
            {
                stop.Cancel(); // the exec would otherwise wait on a pipe nobody reads
                throw;
            }
        }, CancellationToken.None);
        string[] command = paths.Count == 0 ? ["tar", "cf", "-", "-C", folder, "."] : ["tar", "cf", "-", "-C", folder, "--", .. paths];
        try
        {
            await using (var output = pipe.Writer.AsStream())
                await _exec.RunCheckedAsync(container.Exec(command), output, null, stderrLine, stop.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            await pipe.Writer.CompleteAsync().ConfigureAwait(false);
            if (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                await reading.ConfigureAwait(false); // the reader stopped the exec: its error is the cause
            _ = reading.ContinueWith(t => t.Exception, TaskScheduler.Default); // observed; the exec's error is the cause
            throw;
        }
        return await reading.ConfigureAwait(false);
    }

    /// <summary>Copies the contents of <paramref name="localFolder"/> into <paramref name="remoteFolder"/> in the container (created when missing).</summary>
    /// <param name="localFolder">The local folder.</param>
    /// <param name="container">Where to copy.</param>
    /// <param name="remoteFolder">The folder in the container.</param>
    /// <param name="mirror">Afterwards delete, in the container's folder, what the local folder does not hold.</param>
    /// <param name="stderrLine">Receives tar's stderr lines, or null.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>The paths deleted by the mirror (relative, <c>./PATH</c>); empty without it.</returns>
    public async Task<IReadOnlyList<string>> CopyToAsync(string localFolder, PodContainer container, string remoteFolder, bool mirror = false,
        Action<string>? stderrLine = null, CancellationToken cancellationToken = default)
    {
        var pipe = new Pipe();
        IReadOnlyList<string> names = [];
        var writing = Task.Run(async () =>
        {
            await using var output = pipe.Writer.AsStream();
            try { names = TarFolder.Write(localFolder, output); }
            catch (Exception e)
            {
                await pipe.Writer.CompleteAsync(e).ConfigureAwait(false);
                throw;
            }
        }, CancellationToken.None);
        await using (var input = pipe.Reader.AsStream())
        {
            try
            {
                await _exec.RunCheckedAsync(container.Exec("sh", "-c", "mkdir -p \"$1\" && exec tar xmf - -C \"$1\"", "kuberunbooks-cp", remoteFolder),
                    Stream.Null, input, stderrLine, cancellationToken).ConfigureAwait(false);
            }
            catch (ExecFailedException) when (writing.IsFaulted)
            {
                await writing.ConfigureAwait(false); // the local read error is the cause
                throw;
            }
        }
        await writing.ConfigureAwait(false);
        if (!mirror) return [];
        if (names.Any(n => n.Contains('\n', StringComparison.Ordinal)))
            throw new InvalidOperationException("A file name under the local folder contains a line break: a mirror cannot list it.");
        using var keep = new MemoryStream(Encoding.UTF8.GetBytes(string.Concat(names.Select(n => n + "\n"))));
        using var deleted = new MemoryStream();
        await _exec.RunCheckedAsync(container.Exec("sh", "-c", DeleteExtrasScript, "kuberunbooks-mirror", remoteFolder),
            deleted, keep, stderrLine, cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(deleted.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}

using System.IO.Pipelines;
using KubeRunbooks.Kubernetes.Exec;

namespace KubeRunbooks.Backups;

/// <summary>
/// A command's output in a pod streamed into a backup set (a dump), and a verified set's file streamed into a
/// command's stdin (a restore): the exec's exit status checked, secrets in the command's environment only.
/// </summary>
public sealed class PodBackups
{
    private readonly PodExec _exec;

    /// <summary>Over an exec runner.</summary>
    public PodBackups(PodExec exec) => _exec = exec;

    /// <summary>
    /// Runs <paramref name="request"/> and writes its stdout into <paramref name="set"/> as <paramref name="spec"/> says.
    /// A non-zero exit, a missing status or a cut stream fails it with nothing under the final name.
    /// </summary>
    /// <param name="set">The set being written.</param>
    /// <param name="spec">The file; namespace, object and command are filled from the request when not given.</param>
    /// <param name="request">The dump command (secrets in <see cref="ExecRequest.Secrets"/>).</param>
    /// <param name="stderrLine">Receives the command's stderr lines, or null.</param>
    /// <param name="progress">Receives the content bytes so far; null shows them on an interactive terminal (<see cref="TransferProgress.ForConsole"/>), quiet in CI and logs.</param>
    /// <param name="cancellationToken">Cancels the dump.</param>
    /// <returns>The manifest entry.</returns>
    public async Task<BackupFileEntry> DumpAsync(BackupSetWriter set, BackupFileSpec spec, ExecRequest request,
        Action<string>? stderrLine = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var recorded = spec with
        {
            Namespace = spec.Namespace ?? request.Namespace,
            Object = spec.Object ?? $"pod/{request.Pod} container {request.Container}",
            Command = spec.Command ?? string.Join(' ', request.Command) + (request.Secrets.Count > 0 ? $" (env: {string.Join(", ", request.Secrets.Keys)})" : ""),
        };
        var console = progress is null ? TransferProgress.ForConsole(spec.Name) : null;
        try
        {
            return await set.WriteFileAsync(recorded, (stream, ct) => _exec.RunCheckedAsync(request, stream, null, stderrLine, ct), progress ?? console, cancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            console?.Finish();
        }
    }

    /// <summary>Feeds a verified set's file (decompressed) to <paramref name="request"/>'s stdin; fails unless it exits 0.</summary>
    /// <param name="set">The set, verified.</param>
    /// <param name="fileName">The file in it.</param>
    /// <param name="request">The restore command (e.g. <c>psql -f -</c>; secrets in <see cref="ExecRequest.Secrets"/>).</param>
    /// <param name="stdout">Receives the command's stdout, or null to discard it.</param>
    /// <param name="stderrLine">Receives its stderr lines, or null.</param>
    /// <param name="cancellationToken">Cancels the restore.</param>
    /// <param name="filter">
    /// Wraps the stream towards the command's stdin with a write-side filter (e.g. a dump rewriter), or null to send
    /// the content as it is; the filter is disposed (flushing what it holds) before stdin is closed.
    /// </param>
    /// <returns>The exec's byte counts.</returns>
    public async Task<ExecResult> RestoreAsync(VerifiedBackupSet set, string fileName, ExecRequest request,
        Stream? stdout = null, Action<string>? stderrLine = null, CancellationToken cancellationToken = default, Func<Stream, Stream>? filter = null)
    {
        // Decompression on its own task, ahead of the exec's sends: the two use both cores as gunzip | kubectl does.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 8 * 1024 * 1024, resumeWriterThreshold: 4 * 1024 * 1024));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(async () =>
        {
            try
            {
                await using var content = set.OpenContent(fileName);
                if (filter is null)
                {
                    await content.CopyToAsync(pipe.Writer, stop.Token).ConfigureAwait(false);
                }
                else
                {
                    await using (var filtered = filter(pipe.Writer.AsStream(leaveOpen: true)))
                        await content.CopyToAsync(filtered, stop.Token).ConfigureAwait(false);
                }
                await pipe.Writer.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                await pipe.Writer.CompleteAsync(e).ConfigureAwait(false); // the exec's stdin read fails with it
                throw;
            }
        }, CancellationToken.None);
        try
        {
            await using var stdin = pipe.Reader.AsStream();
            return await _exec.RunCheckedAsync(request, stdout ?? Stream.Null, stdin, stderrLine, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try { await reading.ConfigureAwait(false); }
            catch (OperationCanceledException) { /* the exec ended first */ }
        }
    }
}

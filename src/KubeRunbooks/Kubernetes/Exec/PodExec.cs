using System.Net.WebSockets;
using k8s;
using k8s.Models;
using KubeRunbooks.Kubernetes.Containers;

namespace KubeRunbooks.Kubernetes.Exec;

/// <summary>
/// Runs a command in a container over the WebSocket v5 channel protocol with streamed stdin, stdout and stderr.
/// Memory does not grow with output size: stdout and stderr are written to the caller's streams as they arrive.
/// </summary>
public sealed class PodExec
{
    private const int StderrTailLines = 20;
    private readonly IKubernetes _client;

    /// <summary>Creates the runner over a client.</summary>
    public PodExec(IKubernetes client) => _client = client;

    /// <summary>
    /// Runs the command and returns its exit code (a non-zero exit is not an exception here; see
    /// <see cref="RunCheckedAsync"/>). Secrets of the request are sent as the first lines of stdin (see
    /// <see cref="SecretEnvironment"/>); then <paramref name="stdin"/>; then stdin is closed with the v5 close frame.
    /// </summary>
    /// <param name="request">What to run where.</param>
    /// <param name="stdout">Receives stdout.</param>
    /// <param name="stderr">Receives stderr; null discards it (it is still drained).</param>
    /// <param name="stdin">Sent as stdin then closed; null runs without stdin (unless the request has secrets).</param>
    /// <param name="cancellationToken">Cancels the exec.</param>
    /// <returns>The exit code and byte counts.</returns>
    /// <exception cref="ExecFailedException">No exit status came (stream cut, connection lost), or stdin could not be sent, or
    /// the exec was refused (a 403 after the run's first change names the permission).</exception>
    /// <exception cref="Access.AccessDeniedException">A 403 on the exec before the run's first change (exit 2).</exception>
    public async Task<ExecResult> RunAsync(ExecRequest request, Stream stdout, Stream? stderr = null, Stream? stdin = null, CancellationToken cancellationToken = default)
    {
        var hasSecrets = request.Secrets.Count > 0;
        var command = hasSecrets ? SecretEnvironment.Wrap(request.Command, request.Secrets.Keys) : request.Command;
        var prefix = hasSecrets ? SecretEnvironment.Lines(request.Secrets) : [];
        var withStdin = stdin is not null || hasSecrets;
        WebSocket socket;
        try
        {
            socket = await _client.WebSocketNamespacedPodExecAsync(
                request.Pod, request.Namespace, command, request.Container,
                true, withStdin, true, false, // stderr, stdin, stdout, tty: tty defaults to true in the client
                WebSocketProtocol.V5BinaryWebsocketProtocol, null, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException e)
        {
            throw new ExecFailedException($"Exec of {request.Describe()} was refused by the API server ({e.Message}).", e);
        }
        catch (Access.ForbiddenAfterChangeException e)
        {
            // After a change: a failed exec as any other, so the caller's clean-up and report run; the line names the permission.
            throw new ExecFailedException($"Exec of {request.Describe()} was refused: {e.Message}", e);
        }

        using (socket)
        {
            var channels = new ExecChannels(socket);
            using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var sending = withStdin ? SendOrAbortAsync(channels, socket, prefix, stdin, stopSending) : Task.CompletedTask;
            var (status, errBytes, broken) = await channels.ReceiveAsync(stdout, stderr ?? Stream.Null, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            // The process has ended (or the connection has): whatever stdin is left has no reader.
            await stopSending.CancelAsync().ConfigureAwait(false);
            Exception? sendError = null;
            try { await sending.ConfigureAwait(false); }
            catch (OperationCanceledException) { /* stopped above */ }
            catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException) { sendError = e; }

            if (sendError is not null && string.IsNullOrWhiteSpace(status))
                throw new ExecFailedException($"Exec of {request.Describe()} failed while sending stdin: {sendError.Message}", sendError);
            if (string.IsNullOrWhiteSpace(status))
                throw new ExecFailedException(
                    $"Exec of {request.Describe()} ended without an exit status after {channels.StdoutBytes} bytes of stdout: " +
                    $"the stream was cut or the connection closed early{(broken is null ? "" : $" ({broken.Message})")}; the output is incomplete.", broken);
            var code = ExitCodeOf(status, request);
            if (sendError is not null)
                throw new ExecFailedException($"Exec of {request.Describe()} exited with code {code} before all of stdin was sent ({sendError.Message}).", sendError);
            return new ExecResult(code, channels.StdoutBytes, errBytes);
        }
    }

    /// <summary>
    /// Runs the command and fails unless it exits 0: stderr lines go to <paramref name="stderrLine"/> as they come,
    /// and the last of them are in the exception's message.
    /// </summary>
    /// <param name="request">What to run where.</param>
    /// <param name="stdout">Receives stdout.</param>
    /// <param name="stdin">Sent as stdin then closed, or null.</param>
    /// <param name="stderrLine">Receives each stderr line (shown to the operator), or null.</param>
    /// <param name="cancellationToken">Cancels the exec.</param>
    /// <returns>The byte counts (exit code 0).</returns>
    /// <exception cref="ExecFailedException">A non-zero exit (with the stderr tail), a missing status, a cut stream.</exception>
    public async Task<ExecResult> RunCheckedAsync(ExecRequest request, Stream stdout, Stream? stdin = null, Action<string>? stderrLine = null, CancellationToken cancellationToken = default)
    {
        var tail = new LineTail(StderrTailLines);
        await using var stderr = new LineWriterStream(line =>
        {
            tail.Add(line);
            stderrLine?.Invoke(line);
        });
        var result = await RunAsync(request, stdout, stderr, stdin, cancellationToken).ConfigureAwait(false);
        stderr.Complete();
        if (result.ExitCode != 0)
        {
            var lines = tail.Lines;
            throw new ExecFailedException($"{request.Describe()} exited with code {result.ExitCode}" +
                (lines.Count > 0 ? $"; its last stderr lines: {string.Join(" | ", lines)}" : " and wrote nothing to stderr"), exitCode: result.ExitCode);
        }
        return result;
    }

    /// <summary>The exit code a Status JSON from the error channel carries (0 for Success).</summary>
    /// <param name="statusJson">The error channel's whole content.</param>
    /// <param name="request">The request, for the message.</param>
    /// <returns>The exit code.</returns>
    public static int ExitCodeOf(string statusJson, ExecRequest request)
    {
        if (string.IsNullOrWhiteSpace(statusJson))
            throw new ExecFailedException($"Exec of {request.Describe()} ended without an exit status (connection closed early).");
        V1Status status;
        try
        {
            status = KubernetesJson.Deserialize<V1Status>(statusJson);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ExecFailedException($"Exec of {request.Describe()} returned an unreadable status.", e);
        }
        try
        {
            return k8s.Kubernetes.GetExitCodeOrThrow(status);
        }
        catch (KubernetesException e)
        {
            throw new ExecFailedException($"Exec of {request.Describe()} failed: {status.Message ?? status.Reason ?? "unknown error"}.", e);
        }
    }

    private static async Task SendOrAbortAsync(ExecChannels channels, WebSocket socket, byte[] prefix, Stream? stdin, CancellationTokenSource stop)
    {
        try
        {
            await channels.SendStdinAsync(prefix, stdin, stop.Token).ConfigureAwait(false);
        }
        catch (Exception) when (!stop.IsCancellationRequested)
        {
            // The command would wait for stdin forever: end the exchange so the receive loop returns.
            socket.Abort();
            throw;
        }
    }
}

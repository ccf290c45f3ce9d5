using System.Text;
using k8s;
using k8s.Models;

namespace KubeRunbooks.Kubernetes.Exec;

/// <summary>
/// Runs a command in a container over the WebSocket v5 protocol with streamed stdin, stdout and stderr.
/// Memory does not grow with output size: stdout and stderr are copied to the caller's streams as they come.
/// </summary>
public sealed class PodExec
{
    private readonly IKubernetes _client;

    /// <summary>Creates the runner over a client.</summary>
    public PodExec(IKubernetes client) => _client = client;

    /// <summary>
    /// Runs the command. Streams are obtained before the demuxer starts (frames for a channel without a buffer
    /// are dropped); stdout and stderr are copied on their own tasks (a channel buffer stops at 40 MB and would
    /// end every stream); stdin is copied then closed with the v5 close frame; the exit code comes from the
    /// error channel's Status.
    /// </summary>
    /// <param name="request">What to run where.</param>
    /// <param name="stdout">Receives stdout.</param>
    /// <param name="stderr">Receives stderr; null discards it (it is still drained).</param>
    /// <param name="stdin">Sent as stdin then closed; null runs without stdin.</param>
    /// <param name="cancellationToken">Cancels the exec.</param>
    /// <returns>The exit code and byte counts.</returns>
    public async Task<ExecResult> RunAsync(ExecRequest request, Stream stdout, Stream? stderr = null, Stream? stdin = null, CancellationToken cancellationToken = default)
    {
        var socket = await _client.WebSocketNamespacedPodExecAsync(
            request.Pod, request.Namespace, request.Command, request.Container,
            true, stdin is not null, true, false, // stderr, stdin, stdout, tty: tty defaults to true in the client
            WebSocketProtocol.V5BinaryWebsocketProtocol, null, cancellationToken).ConfigureAwait(false);
        using var demuxer = new StreamDemuxer(socket, StreamType.RemoteCommand, ownsSocket: true, supportsClose: true);
        var outStream = demuxer.GetStream(ChannelIndex.StdOut, null);
        var errStream = demuxer.GetStream(ChannelIndex.StdErr, null);
        var statusStream = demuxer.GetStream(ChannelIndex.Error, null);
        var inStream = stdin is null ? null : demuxer.GetStream((ChannelIndex?)null, ChannelIndex.StdIn);
        demuxer.Start();

        // MuxedStream.Read blocks: each channel gets its own task.
        var outTask = Task.Run(() => CopyAsync(outStream, stdout, cancellationToken), cancellationToken);
        var errTask = Task.Run(() => CopyAsync(errStream, stderr ?? Stream.Null, cancellationToken), cancellationToken);
        var statusTask = Task.Run(() => ReadAllAsync(statusStream, cancellationToken), cancellationToken);
        if (stdin is not null && inStream is not null)
        {
            await stdin.CopyToAsync(inStream, cancellationToken).ConfigureAwait(false);
            await inStream.DisposeAsync().ConfigureAwait(false); // v5: sends the close frame [255, 0]
        }
        var statusJson = await statusTask.ConfigureAwait(false);
        var outBytes = await outTask.ConfigureAwait(false);
        var errBytes = await errTask.ConfigureAwait(false);
        return new ExecResult(ExitCodeOf(statusJson, request), outBytes, errBytes);
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

    private static async Task<long> CopyAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await from.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            total += read;
        }
        await to.FlushAsync(cancellationToken).ConfigureAwait(false);
        return total;
    }

    private static async Task<string> ReadAllAsync(Stream from, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(from, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }
}

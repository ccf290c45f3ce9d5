using System.Net.WebSockets;
using System.Text;

namespace KubeRunbooks.Kubernetes.Exec;

/// <summary>
/// The channel protocol (<c>v5.channel.k8s.io</c>) spoken directly over the exec WebSocket: each message is
/// <c>[channel][data]</c> (0 stdin, 1 stdout, 2 stderr, 3 status); <c>[255, 0]</c> closes stdin. Received data is
/// written straight to the caller's streams from one receive loop, so a slow writer slows the server (back-pressure)
/// and no channel is buffered in memory. This replaces the client's <c>StreamDemuxer</c>, whose per-channel buffers
/// and blocking reads cost a third of the throughput (see bench/ExecThroughput).
/// </summary>
internal sealed class ExecChannels
{
    private const byte StdinChannel = 0, StdoutChannel = 1, StderrChannel = 2, StatusChannel = 3, CloseChannel = 255;
    private const int ReceiveBufferSize = 256 * 1024;
    private const int SendChunkSize = 64 * 1024;
    private const int MaxStatusBytes = 64 * 1024;

    private readonly WebSocket _socket;

    /// <summary>Wraps an open exec socket.</summary>
    public ExecChannels(WebSocket socket) => _socket = socket;

    /// <summary>Bytes written to stdout so far (read while running for progress).</summary>
    public long StdoutBytes => Interlocked.Read(ref _stdoutBytes);

    private long _stdoutBytes;

    /// <summary>
    /// Receives until the server closes: stdout and stderr to their streams, the status channel into text.
    /// A connection that breaks is not an exception here: the missing status says so to the caller.
    /// </summary>
    /// <returns>The status text (empty when none came), stderr bytes, and the error that ended the connection, if any.</returns>
    public async Task<(string Status, long StderrBytes, Exception? Broken)> ReceiveAsync(Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        var buffer = new byte[ReceiveBufferSize];
        var status = new MemoryStream();
        long errBytes = 0;
        var channel = -1; // the channel of the message being received: only its first frame carries the byte
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close) break;
                var data = buffer.AsMemory(0, result.Count);
                if (channel < 0 && data.Length > 0)
                {
                    channel = data.Span[0];
                    data = data[1..];
                }
                if (data.Length > 0)
                {
                    switch (channel)
                    {
                        case StdoutChannel:
                            await stdout.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                            Interlocked.Add(ref _stdoutBytes, data.Length);
                            break;
                        case StderrChannel:
                            await stderr.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                            errBytes += data.Length;
                            break;
                        case StatusChannel when status.Length < MaxStatusBytes:
                            status.Write(data.Span);
                            break;
                    }
                }
                if (result.EndOfMessage) channel = -1;
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return (Encoding.UTF8.GetString(status.ToArray()), errBytes, e);
        }
        await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
        await stderr.FlushAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_socket.State == WebSocketState.CloseReceived)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException) { /* the server has gone already: the exchange is complete either way */ }
        return (Encoding.UTF8.GetString(status.ToArray()), errBytes, null);
    }

    /// <summary>Sends <paramref name="prefix"/> then <paramref name="stdin"/> on channel 0, then closes stdin (v5).</summary>
    public async Task SendStdinAsync(byte[] prefix, Stream? stdin, CancellationToken cancellationToken)
    {
        var buffer = new byte[SendChunkSize + 1];
        buffer[0] = StdinChannel;
        if (prefix.Length > 0)
        {
            var frame = new byte[prefix.Length + 1];
            prefix.CopyTo(frame, 1);
            await _socket.SendAsync(frame, WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
        }
        if (stdin is not null)
        {
            int read;
            while ((read = await stdin.ReadAsync(buffer.AsMemory(1, SendChunkSize), cancellationToken).ConfigureAwait(false)) > 0)
                await _socket.SendAsync(buffer.AsMemory(0, read + 1), WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
        }
        await _socket.SendAsync(new byte[] { CloseChannel, StdinChannel }, WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
    }
}

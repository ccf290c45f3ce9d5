using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KubeRunbooks.Simulator.Runtime.PortForward;

/// <summary>
/// One <c>kubectl port-forward</c> connection, as the kubelet serves it (protocol <c>portforward.k8s.io</c> over
/// SPDY/3.1): every forwarded local connection is a pair of streams sharing a request id, an error stream and a
/// data stream naming the pod's port. The data stream is joined to a TCP connection to that port at the pod's
/// address; when the pod side ends, both streams end, and a connection that fails is reported on the error
/// stream in the kubelet's words.
/// </summary>
internal sealed class PortForwardSession(Stream tunnel, string ns, string podName, string podUid, IPAddress address)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly SpdyHeaderCodec _headers = new();
    private readonly Dictionary<uint, ForwardStream> _streams = [];
    private readonly Dictionary<string, ForwardStream> _waitingForPartner = new(StringComparer.Ordinal);
    private readonly List<Task> _forwards = [];
    private SpdyFrameWriter? _writer;

    /// <summary>Serves the connection until the client closes it or <paramref name="cancellation"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellation)
    {
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var reader = new SpdyFrameReader(tunnel);
        _writer = new SpdyFrameWriter(tunnel, _headers);
        try
        {
            while (await reader.ReadAsync(ending.Token).ConfigureAwait(false) is { } frame)
            {
                if (frame.Type == SpdyFrame.GoAway) break;
                await HandleAsync(frame, ending.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or OperationCanceledException or System.Net.WebSockets.WebSocketException)
        {
            // The client went away (kubectl ended) or spoke no SPDY: the forwarded connections end with it.
        }
        finally
        {
            foreach (var stream in _streams.Values)
            {
                stream.Incoming.Writer.TryComplete();
                await stream.Reset.CancelAsync().ConfigureAwait(false);
            }
            await ending.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(_forwards).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(SpdyFrame frame, CancellationToken cancellation)
    {
        switch (frame.Type)
        {
            case SpdyFrame.SynStream:
                await OpenAsync(frame, cancellation).ConfigureAwait(false);
                break;
            case SpdyFrame.Data when _streams.TryGetValue(frame.StreamId, out var stream):
                if (frame.Payload.Length > 0) stream.Incoming.Writer.TryWrite(frame.Payload);
                if (frame.IsFin) stream.Incoming.Writer.TryComplete();
                break;
            case SpdyFrame.RstStream when _streams.TryGetValue(frame.StreamId, out var reset):
                reset.Incoming.Writer.TryComplete();
                await reset.Reset.CancelAsync().ConfigureAwait(false);
                break;
            case SpdyFrame.Ping:
                await _writer!.PongAsync(frame.Payload, cancellation).ConfigureAwait(false);
                break;
            // SETTINGS, WINDOW_UPDATE, HEADERS and frames of unknown streams carry nothing a forward needs.
        }
    }

    private async Task OpenAsync(SpdyFrame frame, CancellationToken cancellation)
    {
        // SYN_STREAM: stream id, associated-to id, priority and slot (10 bytes), then the header block.
        var stream = new ForwardStream(frame.StreamId, _headers.Decode(frame.Payload.AsSpan(10)));
        _streams[stream.Id] = stream;
        await _writer!.ReplyAsync(stream.Id, cancellation).ConfigureAwait(false);
        if (frame.IsFin) stream.Incoming.Writer.TryComplete();
        if (stream.Type is not ("error" or "data") || stream.RequestId.Length == 0)
        {
            await _writer.ResetAsync(stream.Id, 1, cancellation).ConfigureAwait(false); // PROTOCOL_ERROR, as the kubelet for an unknown stream type
            return;
        }
        if (!_waitingForPartner.Remove(stream.RequestId, out var partner))
        {
            _waitingForPartner[stream.RequestId] = stream;
            return;
        }
        var (error, data) = stream.Type == "error" ? (stream, partner) : (partner, stream);
        _forwards.Add(Task.Run(() => ForwardAsync(error, data, cancellation), CancellationToken.None));
    }

    private async Task ForwardAsync(ForwardStream error, ForwardStream data, CancellationToken cancellation)
    {
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(cancellation, data.Reset.Token);
        try
        {
            if (!int.TryParse(data.Port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                await FailAsync(error, data, $"invalid port: \"{data.Port}\"", gone.Token).ConfigureAwait(false);
                return;
            }
            using var client = new TcpClient(address.AddressFamily);
            try
            {
                using var connecting = CancellationTokenSource.CreateLinkedTokenSource(gone.Token);
                connecting.CancelAfter(ConnectTimeout);
                await client.ConnectAsync(address, port, connecting.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !gone.IsCancellationRequested)
            {
                var why = e is SocketException { SocketErrorCode: SocketError.ConnectionRefused } ? "connect: connection refused" : e.Message;
                await FailAsync(error, data, $"error forwarding port {port} to pod {podName}, uid {podUid}: failed to connect to localhost:{port} inside namespace \"{ns}\", IPv4: dial tcp4 {address}:{port}: {why}", gone.Token).ConfigureAwait(false);
                return;
            }
            var socket = client.GetStream();
            var toPod = CopyToPodAsync(data, client, socket, gone.Token);
            await CopyFromPodAsync(data, socket, gone.Token).ConfigureAwait(false);
            await _writer!.DataAsync(data.Id, ReadOnlyMemory<byte>.Empty, fin: true, gone.Token).ConfigureAwait(false);
            await _writer.DataAsync(error.Id, ReadOnlyMemory<byte>.Empty, fin: true, gone.Token).ConfigureAwait(false);
            await gone.CancelAsync().ConfigureAwait(false);
            await toPod.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or System.Net.WebSockets.WebSocketException)
        {
            // The client reset the stream or the connection ended: nothing is left to tell it.
        }
    }

    private static async Task CopyToPodAsync(ForwardStream data, TcpClient client, NetworkStream socket, CancellationToken cancellation)
    {
        try
        {
            await foreach (var chunk in data.Incoming.Reader.ReadAllAsync(cancellation).ConfigureAwait(false))
            {
                await socket.WriteAsync(chunk, cancellation).ConfigureAwait(false);
            }
            // The client closed its side: so does the forwarded connection, and the pod's server answers the rest.
            client.Client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Ended from the other side.
        }
    }

    private async Task CopyFromPodAsync(ForwardStream data, NetworkStream socket, CancellationToken cancellation)
    {
        var buffer = new byte[SpdyFrameWriter.MaxDataPayload];
        int n;
        while ((n = await socket.ReadAsync(buffer, cancellation).ConfigureAwait(false)) > 0)
        {
            await _writer!.DataAsync(data.Id, buffer.AsMemory(0, n), fin: false, cancellation).ConfigureAwait(false);
        }
    }

    private async Task FailAsync(ForwardStream error, ForwardStream data, string message, CancellationToken cancellation)
    {
        await _writer!.DataAsync(error.Id, Encoding.UTF8.GetBytes(message), fin: true, cancellation).ConfigureAwait(false);
        await _writer.DataAsync(data.Id, ReadOnlyMemory<byte>.Empty, fin: true, cancellation).ConfigureAwait(false);
    }
}

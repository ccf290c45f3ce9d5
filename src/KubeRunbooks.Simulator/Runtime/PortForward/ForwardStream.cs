using System.Threading.Channels;

namespace KubeRunbooks.Simulator.Runtime.PortForward;

/// <summary>
/// One stream kubectl opened on a port-forward connection: its headers (<c>streamtype</c> error or data,
/// <c>port</c>, <c>requestid</c>), what the client sent on it, and whether the client reset it.
/// </summary>
internal sealed class ForwardStream(uint id, IReadOnlyDictionary<string, string> headers)
{
    /// <summary>The stream's id (odd: the client opened it).</summary>
    public uint Id { get; } = id;

    /// <summary><c>error</c> or <c>data</c>.</summary>
    public string Type { get; } = headers.GetValueOrDefault("streamtype", "");

    /// <summary>The connection's request id: the error and data streams of one forwarded connection share it.</summary>
    public string RequestId { get; } = headers.GetValueOrDefault("requestid", "");

    /// <summary>The pod's port, as the client wrote it.</summary>
    public string Port { get; } = headers.GetValueOrDefault("port", "");

    /// <summary>The client's data, completed at its FIN (no flow control: SPDY/3.1's windows are not used by kubectl's spdystream).</summary>
    public Channel<ReadOnlyMemory<byte>> Incoming { get; } = Channel.CreateUnbounded<ReadOnlyMemory<byte>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    /// <summary>Cancelled when the client resets the stream or the connection ends.</summary>
    public CancellationTokenSource Reset { get; } = new();
}

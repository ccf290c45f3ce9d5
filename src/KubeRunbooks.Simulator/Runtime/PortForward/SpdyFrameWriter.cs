using System.Buffers.Binary;

namespace KubeRunbooks.Simulator.Runtime.PortForward;

/// <summary>
/// Writes SPDY/3 frames to the connection's byte stream, one frame per write and one writer at a time (the
/// streams of a connection send from several tasks).
/// </summary>
internal sealed class SpdyFrameWriter(Stream output, SpdyHeaderCodec headers)
{
    /// <summary>The most payload one data frame carries here.</summary>
    public const int MaxDataPayload = 32 * 1024;

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>SYN_REPLY for <paramref name="streamId"/> with no headers: the stream is accepted.</summary>
    public Task ReplyAsync(uint streamId, CancellationToken cancellation) =>
        // Encoded under the write gate: the header compressor is one stream, so blocks go out in the order encoded.
        WriteAsync(() =>
        {
            var block = headers.Encode(new Dictionary<string, string>());
            var payload = new byte[4 + block.Length];
            BinaryPrimitives.WriteUInt32BigEndian(payload, streamId);
            block.CopyTo(payload, 4);
            return Control(SpdyFrame.SynReply, 0, payload);
        }, cancellation);

    /// <summary>A data frame; <paramref name="fin"/> ends this side of the stream.</summary>
    public async Task DataAsync(uint streamId, ReadOnlyMemory<byte> data, bool fin, CancellationToken cancellation)
    {
        var frame = new byte[8 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, streamId & 0x7fffffff);
        frame[4] = fin ? SpdyFrame.FlagFin : (byte)0;
        WriteLength(frame, data.Length);
        data.CopyTo(frame.AsMemory(8));
        await WriteAsync(() => frame, cancellation).ConfigureAwait(false);
    }

    /// <summary>RST_STREAM with <paramref name="status"/> (1 protocol error, 5 cancel, 6 internal error).</summary>
    public Task ResetAsync(uint streamId, int status, CancellationToken cancellation)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(payload, streamId);
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(4), status);
        return WriteAsync(() => Control(SpdyFrame.RstStream, 0, payload), cancellation);
    }

    /// <summary>The PING frame echoed back unchanged, as SPDY asks of the receiver.</summary>
    public Task PongAsync(byte[] pingPayload, CancellationToken cancellation) => WriteAsync(() => Control(SpdyFrame.Ping, 0, pingPayload), cancellation);

    private static byte[] Control(int type, byte flags, byte[] payload)
    {
        var frame = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, 0x8003); // control bit, version 3
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)type);
        frame[4] = flags;
        WriteLength(frame, payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }

    private static void WriteLength(byte[] frame, int length)
    {
        frame[5] = (byte)(length >> 16);
        frame[6] = (byte)(length >> 8);
        frame[7] = (byte)length;
    }

    private async Task WriteAsync(Func<byte[]> build, CancellationToken cancellation)
    {
        await _gate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            var frame = build();
            await output.WriteAsync(frame, cancellation).ConfigureAwait(false);
            await output.FlushAsync(cancellation).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}

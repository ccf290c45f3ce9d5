using System.Buffers.Binary;

namespace KubeRunbooks.Simulator.Runtime.PortForward;

/// <summary>
/// Reads SPDY/3 frames from a byte stream (the WebSocket tunnel kubectl 1.30+ opens for port-forward carries the
/// frames as a byte stream; message boundaries mean nothing). The stream id of a control frame that has one
/// (SYN_STREAM, SYN_REPLY, RST_STREAM, HEADERS, WINDOW_UPDATE) is read from its payload.
/// </summary>
internal sealed class SpdyFrameReader(Stream input)
{
    private const int MaxFrameLength = 16 * 1024 * 1024;
    private readonly byte[] _header = new byte[8];

    /// <summary>The next frame, or null at the end of the stream between frames.</summary>
    /// <exception cref="InvalidDataException">Not SPDY/3, or the stream ends inside a frame.</exception>
    public async Task<SpdyFrame?> ReadAsync(CancellationToken cancellation)
    {
        var got = await input.ReadAtLeastAsync(_header, _header.Length, throwOnEndOfStream: false, cancellation).ConfigureAwait(false);
        if (got == 0) return null;
        if (got < _header.Length) throw new InvalidDataException("the SPDY stream ended inside a frame header");
        var flags = _header[4];
        var length = (_header[5] << 16) | (_header[6] << 8) | _header[7];
        if (length > MaxFrameLength) throw new InvalidDataException($"a SPDY frame of {length} bytes is over the limit");
        var payload = new byte[length];
        await input.ReadExactlyAsync(payload, cancellation).ConfigureAwait(false);
        if ((_header[0] & 0x80) == 0)
        {
            return new SpdyFrame(SpdyFrame.Data, flags, BinaryPrimitives.ReadUInt32BigEndian(_header) & 0x7fffffff, payload);
        }
        var version = BinaryPrimitives.ReadUInt16BigEndian(_header) & 0x7fff;
        if (version != 3) throw new InvalidDataException($"SPDY version {version} is not served (3 is)");
        var type = BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2));
        var streamId = type is 1 or 2 or 3 or 8 or 9 && length >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7fffffff : 0;
        return new SpdyFrame(type, flags, streamId, payload);
    }
}

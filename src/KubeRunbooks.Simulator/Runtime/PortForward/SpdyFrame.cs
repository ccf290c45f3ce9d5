namespace KubeRunbooks.Simulator.Runtime.PortForward;

/// <summary>
/// One SPDY/3 frame as read off the wire: a control frame (<see cref="Type"/> &gt; 0: SYN_STREAM, SYN_REPLY,
/// RST_STREAM, SETTINGS, PING, GOAWAY, HEADERS, WINDOW_UPDATE) or a data frame (<see cref="Type"/> 0) of
/// <see cref="StreamId"/>; <see cref="Payload"/> is what follows the 8-byte frame header.
/// </summary>
internal sealed record SpdyFrame(int Type, byte Flags, uint StreamId, byte[] Payload)
{
    /// <summary>A data frame.</summary>
    public const int Data = 0;
    /// <summary>SYN_STREAM: the peer opens a stream.</summary>
    public const int SynStream = 1;
    /// <summary>SYN_REPLY: the answer to a SYN_STREAM.</summary>
    public const int SynReply = 2;
    /// <summary>RST_STREAM: a stream ends abnormally.</summary>
    public const int RstStream = 3;
    /// <summary>PING: echoed by the receiver.</summary>
    public const int Ping = 6;
    /// <summary>GOAWAY: the peer opens no more streams.</summary>
    public const int GoAway = 7;

    /// <summary>FLAG_FIN: the sender's last frame on the stream.</summary>
    public const byte FlagFin = 0x01;

    /// <summary>Whether the sender ends its side of the stream with this frame.</summary>
    public bool IsFin => (Flags & FlagFin) != 0;
}

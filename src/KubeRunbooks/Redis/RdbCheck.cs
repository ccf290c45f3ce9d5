using System.Text;

namespace KubeRunbooks.Redis;

/// <summary>
/// Checks, as bytes stream past, that a file is a whole RDB dump: it starts with the <c>REDIS</c> magic and ends
/// with the EOF opcode 0xFF followed by the 8-byte checksum (a dump cut short has no such end).
/// </summary>
internal sealed class RdbCheck
{
    private readonly byte[] _head = new byte[5];
    private readonly byte[] _tail = new byte[9];
    private long _length;

    /// <summary>Adds the next bytes.</summary>
    public void Add(ReadOnlySpan<byte> bytes)
    {
        for (var i = 0; i < bytes.Length && _length + i < _head.Length; i++) _head[_length + i] = bytes[i];
        if (bytes.Length >= _tail.Length)
        {
            bytes[^_tail.Length..].CopyTo(_tail);
        }
        else
        {
            Array.Copy(_tail, bytes.Length, _tail, 0, _tail.Length - bytes.Length);
            bytes.CopyTo(_tail.AsSpan(_tail.Length - bytes.Length));
        }
        _length += bytes.Length;
    }

    /// <summary>True when the bytes seen start with the magic and end with the EOF opcode and checksum.</summary>
    public bool IsWholeRdb => _length >= 5 + 4 + 9 && Encoding.ASCII.GetString(_head) == "REDIS" && _tail[0] == 0xFF;
}

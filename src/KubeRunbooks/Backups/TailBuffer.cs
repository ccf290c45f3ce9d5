namespace KubeRunbooks.Backups;

/// <summary>Keeps the last N bytes of a stream read in pieces.</summary>
internal sealed class TailBuffer
{
    private readonly byte[] _ring;
    private long _length;

    /// <summary>Keeps <paramref name="capacity"/> bytes.</summary>
    public TailBuffer(int capacity) => _ring = new byte[capacity];

    /// <summary>Adds the next bytes.</summary>
    public void Add(ReadOnlySpan<byte> data)
    {
        var tail = data.Length > _ring.Length ? data[^_ring.Length..] : data;
        var position = (int)((_length + data.Length - tail.Length) % _ring.Length);
        foreach (var b in tail)
        {
            _ring[position] = b;
            position = (position + 1) % _ring.Length;
        }
        _length += data.Length;
    }

    /// <summary>The kept bytes, oldest first.</summary>
    public byte[] ToArray()
    {
        var count = (int)Math.Min(_length, _ring.Length);
        var result = new byte[count];
        var start = (int)((_length - count) % _ring.Length);
        for (var i = 0; i < count; i++) result[i] = _ring[(start + i) % _ring.Length];
        return result;
    }
}

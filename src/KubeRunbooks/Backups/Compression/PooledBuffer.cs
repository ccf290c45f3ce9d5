using System.Buffers;

namespace KubeRunbooks.Backups.Compression;

/// <summary>A growable write-only stream over pooled arrays (a compressed block before it is written out in order).</summary>
internal sealed class PooledBuffer : Stream
{
    private readonly ArrayPool<byte> _pool;
    private byte[] _data;
    private int _length;

    /// <summary>Starts with room for <paramref name="capacity"/> bytes from <paramref name="pool"/>.</summary>
    public PooledBuffer(int capacity, ArrayPool<byte> pool)
    {
        _pool = pool;
        _data = pool.Rent(capacity);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    /// <summary>The pooled array and the bytes in it; the caller returns the array to the pool it came from.</summary>
    public (byte[] Data, int Length) Detach()
    {
        var result = (_data, _length);
        _data = [];
        _length = 0;
        return result;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_length + buffer.Length > _data.Length)
        {
            var bigger = _pool.Rent(Math.Max(_data.Length * 2, _length + buffer.Length));
            _data.AsSpan(0, _length).CopyTo(bigger);
            _pool.Return(_data);
            _data = bigger;
        }
        buffer.CopyTo(_data.AsSpan(_length));
        _length += buffer.Length;
    }

    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}

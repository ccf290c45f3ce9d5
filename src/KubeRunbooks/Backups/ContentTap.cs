namespace KubeRunbooks.Backups;

/// <summary>A write-through stream that counts the bytes and keeps the first and last few (for the completeness check).</summary>
internal sealed class ContentTap : Stream
{
    private readonly Stream _inner;
    private readonly byte[] _head = new byte[CompletionMarkers.HeadBytes];
    private readonly byte[] _ring = new byte[CompletionMarkers.TailBytes];
    private int _headLength;
    private long _length;

    /// <summary>Passes writes to <paramref name="inner"/>.</summary>
    public ContentTap(Stream inner) => _inner = inner;

    /// <summary>Bytes written.</summary>
    public override long Length => _length;

    /// <summary>The first bytes written.</summary>
    public ReadOnlySpan<byte> Head => _head.AsSpan(0, _headLength);

    /// <summary>The last bytes written, in order.</summary>
    public byte[] Tail()
    {
        var count = (int)Math.Min(_length, _ring.Length);
        var tail = new byte[count];
        var start = (int)((_length - count) % _ring.Length);
        for (var i = 0; i < count; i++) tail[i] = _ring[(start + i) % _ring.Length];
        return tail;
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count)
    {
        Observe(buffer.AsSpan(offset, count));
        _inner.Write(buffer, offset, count);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Observe(buffer.Span);
        await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    private void Observe(ReadOnlySpan<byte> data)
    {
        if (_headLength < _head.Length)
        {
            var n = Math.Min(data.Length, _head.Length - _headLength);
            data[..n].CopyTo(_head.AsSpan(_headLength));
            _headLength += n;
        }
        var tail = data.Length > _ring.Length ? data[^_ring.Length..] : data;
        var skipped = data.Length - tail.Length;
        var position = (int)((_length + skipped) % _ring.Length);
        foreach (var b in tail)
        {
            _ring[position] = b;
            position = (position + 1) % _ring.Length;
        }
        _length += data.Length;
    }
}

namespace KubeRunbooks.Backups;

/// <summary>A write-through stream that reports the bytes written so far (at most every 1 MiB).</summary>
internal sealed class ProgressStream : Stream
{
    private const long ReportEvery = 1024 * 1024;
    private readonly Stream _inner;
    private readonly IProgress<long>? _progress;
    private long _length;
    private long _reported;

    /// <summary>Passes writes to <paramref name="inner"/>; reports to <paramref name="progress"/> when not null.</summary>
    public ProgressStream(Stream inner, IProgress<long>? progress)
    {
        _inner = inner;
        _progress = progress;
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count)
    {
        _inner.Write(buffer, offset, count);
        Advance(count);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        Advance(buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _progress?.Report(_length);
        base.Dispose(disposing);
    }

    private void Advance(int count)
    {
        _length += count;
        if (_progress is not null && _length - _reported >= ReportEvery)
        {
            _reported = _length;
            _progress.Report(_length);
        }
    }
}

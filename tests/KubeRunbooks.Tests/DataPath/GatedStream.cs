namespace KubeRunbooks.Tests.DataPath;

/// <summary>
/// A write-only sink that holds every write until <see cref="Open"/>: an exec reader writing into it stops reading, so
/// the command in the pod blocks on its stdout and stays alive as long as a test needs. Keeps the last 4 KiB written.
/// </summary>
internal sealed class GatedStream : Stream
{
    private const int TailSize = 4096;
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] _tail = new byte[TailSize];
    private long _written;

    /// <summary>The last bytes written (up to 4 KiB).</summary>
    public byte[] Tail
    {
        get
        {
            var length = (int)Math.Min(_written, TailSize);
            var tail = new byte[length];
            for (var i = 0; i < length; i++) tail[i] = _tail[(_written - length + i) % TailSize];
            return tail;
        }
    }

    /// <summary>Lets every held and later write through.</summary>
    public void Open() => _open.TrySetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _open.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        Keep(buffer.Span);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        _open.Task.Wait();
        Keep(buffer.AsSpan(offset, count));
    }

    private void Keep(ReadOnlySpan<byte> data)
    {
        foreach (var b in data) _tail[_written++ % TailSize] = b;
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _written;
    public override long Position { get => _written; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}

using System.Text;

namespace KubeRunbooks.Kubernetes.Exec;

/// <summary>A write-only stream that cuts UTF-8 text into lines for a sink (a command's stderr shown as it comes).</summary>
internal sealed class LineWriterStream : Stream
{
    private const int MaxLineBytes = 16 * 1024;
    private readonly Action<string> _sink;
    private readonly MemoryStream _pending = new();

    /// <summary>Sends each complete line (without its end) to <paramref name="sink"/>.</summary>
    public LineWriterStream(Action<string> sink) => _sink = sink;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        foreach (var b in buffer)
        {
            if (b == (byte)'\n' || _pending.Length >= MaxLineBytes) EmitLine();
            if (b != (byte)'\n') _pending.WriteByte(b);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    /// <summary>Sends a last line that had no line end.</summary>
    public void Complete()
    {
        if (_pending.Length > 0) EmitLine();
    }

    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    private void EmitLine()
    {
        var line = Encoding.UTF8.GetString(_pending.GetBuffer(), 0, (int)_pending.Length).TrimEnd('\r');
        _pending.SetLength(0);
        _sink(line);
    }
}

namespace KubeRunbooks.Databases;

/// <summary>
/// A write-side stream filter doing what <c>sed -e 's/DEFINER[ ]*=[ ]*[^*]*\*/\*/'</c> does to a MySQL / MariaDB
/// dump (the Exastro seed's restore): on each line, the first <c>DEFINER</c> followed by optional spaces, <c>=</c>,
/// and then everything up to the next <c>*</c> of the same line is replaced by <c>*</c>. So
/// <c>/*!50013 DEFINER=`u`@`h` SQL SECURITY DEFINER */</c> becomes <c>/*!50013 */</c> (views) and
/// <c>/*!50017 DEFINER=`u`@`h`*/</c> becomes <c>/*!50017 */</c> (triggers); a line with no <c>*</c> after the
/// <c>=</c> is left as it is (a routine's <c>CREATE DEFINER=`u`@`h` PROCEDURE</c> header), and so is any other line.
/// Bytes are written to the inner stream as they come; only a candidate match is held back (spilled to a temporary
/// file past 1 MiB), so memory does not grow with the input or the length of a line. It works on bytes: the pattern
/// is ASCII, and in UTF-8 no byte of a multi-byte character equals an ASCII byte, so characters split across writes
/// pass unchanged. Dispose (or <see cref="Complete"/>) writes what is still held.
/// </summary>
public sealed class DefinerStrippingStream : Stream
{
    private static readonly byte[] Keyword = "DEFINER"u8.ToArray();

    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly SpillBuffer _held;
    private State _state = State.Scanning;
    private int _matched;
    private bool _completed;

    /// <summary>Wraps <paramref name="inner"/>, which receives the filtered bytes.</summary>
    /// <param name="inner">Where the filtered dump goes (e.g. the stdin of <c>mysql</c>).</param>
    /// <param name="leaveOpen">True to leave <paramref name="inner"/> open when this stream is disposed.</param>
    /// <param name="memoryLimit">Bytes of a pending match kept in memory before they spill to a temporary file.</param>
    public DefinerStrippingStream(Stream inner, bool leaveOpen = false, int memoryLimit = 1 << 20)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
        _held = new SpillBuffer(memoryLimit);
    }

    private enum State
    {
        /// <summary>Looking for <c>DEFINER</c> (<see cref="_matched"/> of its letters seen and held).</summary>
        Scanning,

        /// <summary><c>DEFINER</c> and maybe spaces seen: waiting for <c>=</c>.</summary>
        AfterKeyword,

        /// <summary><c>DEFINER =</c> seen: holding everything up to a <c>*</c> (replace) or the line's end (keep).</summary>
        InClause,

        /// <summary>This line had its substitution: copy up to its end.</summary>
        LineDone,
    }

    /// <summary>The number of substitutions made so far.</summary>
    public long Substitutions { get; private set; }

    /// <summary>The longest run of bytes held back at once (a measure of the filter's buffering).</summary>
    public long LargestHold { get; private set; }

    /// <summary>Filters a whole stream into another (a pipe stage).</summary>
    public static async Task<long> CopyAsync(Stream source, Stream destination, CancellationToken cancellationToken = default)
    {
        await using var filter = new DefinerStrippingStream(destination, leaveOpen: true);
        await source.CopyToAsync(filter, 81920, cancellationToken).ConfigureAwait(false);
        filter.Complete();
        return filter.Substitutions;
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        var copyFrom = 0;
        for (var i = 0; i < buffer.Length; i++)
        {
            var b = buffer[i];
            switch (_state)
            {
                case State.Scanning:
                    if (b == Keyword[_matched])
                    {
                        // The bytes before the candidate go out now; the candidate is held until decided.
                        if (_matched == 0) { _inner.Write(buffer[copyFrom..i]); }
                        _held.Append(buffer.Slice(i, 1));
                        _matched++;
                        copyFrom = i + 1;
                        if (_matched == Keyword.Length) _state = State.AfterKeyword;
                    }
                    else if (_matched > 0)
                    {
                        // "DEFINER" has no proper prefix that is also its suffix: only this byte can start a new try.
                        Release();
                        copyFrom = i;
                        i--;
                    }
                    break;
                case State.AfterKeyword:
                    if (b == (byte)' ' || b == (byte)'=')
                    {
                        _held.Append(buffer.Slice(i, 1));
                        copyFrom = i + 1;
                        if (b == (byte)'=') _state = State.InClause;
                    }
                    else
                    {
                        Release();
                        copyFrom = i;
                        i--;
                    }
                    break;
                case State.InClause:
                    if (b == (byte)'*')
                    {
                        // The clause up to and including this '*' becomes a single '*'.
                        _held.Append(buffer[copyFrom..i]);
                        Note();
                        _held.Clear();
                        _matched = 0;
                        _inner.WriteByte((byte)'*');
                        Substitutions++;
                        copyFrom = i + 1;
                        _state = State.LineDone;
                    }
                    else if (b == (byte)'\n')
                    {
                        // No '*' on this line: sed leaves the line as it was.
                        _held.Append(buffer[copyFrom..i]);
                        Release();
                        copyFrom = i;
                        i--;
                    }
                    break;
                case State.LineDone:
                    if (b == (byte)'\n') _state = State.Scanning;
                    break;
            }
        }

        if (_state == State.InClause) _held.Append(buffer[copyFrom..]);
        else if (copyFrom < buffer.Length) _inner.Write(buffer[copyFrom..]);
    }

    /// <summary>Writes what is still held (a clause the input ended inside is kept as it was) and flushes.</summary>
    public void Complete()
    {
        if (_completed) return;
        if (_held.Length > 0) Release();
        _inner.Flush();
        _completed = true;
    }

    /// <inheritdoc />
    public override void Flush() => _inner.Flush();

    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => !_completed;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                Complete();
            }
            finally
            {
                _held.Dispose();
                if (!_leaveOpen) _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    // The held bytes were not a clause: they go out unchanged and scanning starts again.
    private void Release()
    {
        Note();
        _held.WriteTo(_inner);
        _matched = 0;
        _state = State.Scanning;
    }

    private void Note() => LargestHold = Math.Max(LargestHold, _held.Length);
}

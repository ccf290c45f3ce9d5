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
    private static readonly byte[] CreatePrefix = "CREATE "u8.ToArray();

    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly SpillBuffer _held;
    private readonly bool _routineHeaders;
    private readonly byte[] _linePrefix = new byte[CreatePrefix.Length];
    private int _lineLength;
    private bool _candidateAfterCreate;
    private State _state = State.Scanning;
    private int _matched;
    private bool _completed;

    /// <summary>Wraps <paramref name="inner"/>, which receives the filtered bytes.</summary>
    /// <param name="inner">Where the filtered dump goes (e.g. the stdin of <c>mysql</c>).</param>
    /// <param name="leaveOpen">True to leave <paramref name="inner"/> open when this stream is disposed.</param>
    /// <param name="memoryLimit">Bytes of a pending match kept in memory before they spill to a temporary file.</param>
    /// <param name="routineHeaders">
    /// False (the default): exactly the seed's expression. True: also what the expression misses, the account of a
    /// routine header that mysqldump --routines writes as a line starting <c>CREATE DEFINER=`u`@`h` </c> (no <c>*</c>
    /// on it), so the routine is created with the restoring user as its definer.
    /// </param>
    public DefinerStrippingStream(Stream inner, bool leaveOpen = false, int memoryLimit = 1 << 20, bool routineHeaders = false)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
        _held = new SpillBuffer(memoryLimit);
        _routineHeaders = routineHeaders;
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
    public static async Task<long> CopyAsync(Stream source, Stream destination, CancellationToken cancellationToken = default) =>
        await CopyAsync(source, destination, routineHeaders: false, cancellationToken).ConfigureAwait(false);

    /// <summary>Filters a whole stream into another (a pipe stage); see the constructor for <paramref name="routineHeaders"/>.</summary>
    public static async Task<long> CopyAsync(Stream source, Stream destination, bool routineHeaders, CancellationToken cancellationToken = default)
    {
        await using var filter = new DefinerStrippingStream(destination, leaveOpen: true, routineHeaders: routineHeaders);
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
        var tracked = -1;
        var lineLengthBefore = 0;
        for (var i = 0; i < buffer.Length; i++)
        {
            var b = buffer[i];
            // The start of the line is tracked once per byte (a byte may be looked at twice, see i-- below).
            if (i > tracked)
            {
                tracked = i;
                lineLengthBefore = _lineLength;
                if (b == (byte)'\n') _lineLength = 0;
                else if (_lineLength < _linePrefix.Length) _linePrefix[_lineLength++] = b;
                else _lineLength = _linePrefix.Length + 1;
            }

            switch (_state)
            {
                case State.Scanning:
                    if (b == Keyword[_matched])
                    {
                        // The bytes before the candidate go out now; the candidate is held until decided.
                        if (_matched == 0)
                        {
                            _inner.Write(buffer[copyFrom..i]);
                            _candidateAfterCreate = lineLengthBefore == CreatePrefix.Length && _linePrefix.AsSpan().SequenceEqual(CreatePrefix);
                        }
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
                        _held.Append(buffer[copyFrom..i]);
                        if (TryStripRoutineHeader())
                        {
                            // A routine header loses its account only: this '*' and the rest of the line stay.
                            copyFrom = i;
                            break;
                        }

                        // The clause up to and including this '*' becomes a single '*'.
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
                        // No '*' on this line: sed leaves the line as it was (unless it is a routine header to strip).
                        _held.Append(buffer[copyFrom..i]);
                        if (!TryStripRoutineHeader()) Release();
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
        if (_held.Length > 0 && !(_state == State.InClause && TryStripRoutineHeader())) Release();
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

    // With routineHeaders: "DEFINER=`u`@`h` PROCEDURE ..." held at the start of a "CREATE " line loses its account.
    private bool TryStripRoutineHeader()
    {
        if (!_routineHeaders || !_candidateAfterCreate || !_held.TryGetMemory(out var clause)) return false;
        var at = Keyword.Length;
        while (at < clause.Length && clause[at] == (byte)' ') at++;
        if (at >= clause.Length || clause[at++] != (byte)'=') return false;
        while (at < clause.Length && clause[at] == (byte)' ') at++;
        if (!SkipQuoted(clause, ref at) || at >= clause.Length || clause[at++] != (byte)'@' || !SkipQuoted(clause, ref at)) return false;
        if (at >= clause.Length || clause[at] != (byte)' ') return false;
        _inner.Write(clause[(at + 1)..]);
        Note();
        _held.Clear();
        _matched = 0;
        _state = State.LineDone;
        Substitutions++;
        return true;
    }

    // A `name` as mysqldump quotes it (a ` inside is doubled).
    private static bool SkipQuoted(ReadOnlySpan<byte> text, ref int at)
    {
        if (at >= text.Length || text[at] != (byte)'`') return false;
        for (at++; at < text.Length; at++)
        {
            if (text[at] != (byte)'`') continue;
            if (at + 1 < text.Length && text[at + 1] == (byte)'`') { at++; continue; }
            at++;
            return true;
        }
        return false;
    }
}

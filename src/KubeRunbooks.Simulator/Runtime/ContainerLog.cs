namespace KubeRunbooks.Simulator.Runtime;

/// <summary>One line of a container's output (stdout and stderr interleaved as they arrived).</summary>
internal readonly record struct LogLine(DateTimeOffset At, byte[] Bytes);

/// <summary>
/// The log of one run of a container: lines in arrival order, bounded in bytes (the oldest lines are
/// dropped first), readable while it grows. <see cref="Complete"/> marks the end of the run.
/// </summary>
internal sealed class ContainerLog(int capacityBytes)
{
    private readonly object _gate = new();
    private readonly List<LogLine> _lines = new();
    private long _firstIndex;
    private long _bytes;
    private bool _complete;
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>True once the container's process has ended and its output is drained.</summary>
    public bool IsComplete { get { lock (_gate) return _complete; } }

    /// <summary>Adds a line (with its newline, if it had one).</summary>
    public void Append(byte[] line, DateTimeOffset at)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _lines.Add(new LogLine(at, line));
            _bytes += line.Length;
            if (_bytes > capacityBytes) DropOldest();
            changed = _changed;
            _changed = NewSignal();
        }
        changed.TrySetResult();
    }

    /// <summary>Ends the log: followers stop after the last line.</summary>
    public void Complete()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _complete = true;
            changed = _changed;
        }
        changed.TrySetResult();
    }

    /// <summary>The lines from the last <paramref name="tailLines"/> (all when null); with follow, waits for new lines until the log completes.</summary>
    public async IAsyncEnumerable<IReadOnlyList<LogLine>> ReadAsync(long? tailLines, bool follow,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancel)
    {
        long next;
        lock (_gate)
        {
            var end = _firstIndex + _lines.Count;
            next = tailLines is { } tail ? Math.Max(_firstIndex, end - Math.Max(0, tail)) : _firstIndex;
        }
        while (true)
        {
            List<LogLine> batch;
            Task changed;
            bool complete;
            lock (_gate)
            {
                next = Math.Max(next, _firstIndex); // lines dropped while we were away are skipped
                var from = (int)(next - _firstIndex);
                batch = _lines.GetRange(from, _lines.Count - from);
                next += batch.Count;
                changed = _changed.Task;
                complete = _complete;
            }
            if (batch.Count > 0) yield return batch;
            if (!follow || complete) yield break;
            await changed.WaitAsync(cancel).ConfigureAwait(false);
        }
    }

    private void DropOldest()
    {
        // Drop down to three quarters of the capacity so trimming is not paid on every line.
        var target = capacityBytes * 3L / 4;
        var count = 0;
        while (count < _lines.Count - 1 && _bytes > target)
        {
            _bytes -= _lines[count].Bytes.Length;
            count++;
        }
        _lines.RemoveRange(0, count);
        _firstIndex += count;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

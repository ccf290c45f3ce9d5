namespace KubeRunbooks.Kubernetes.Containers;

/// <summary>Keeps the last N lines seen, for the log tail a failure message shows. Thread-safe.</summary>
public sealed class LineTail
{
    private readonly Queue<string> _lines = new();
    private readonly int _capacity;
    private readonly Lock _gate = new();

    /// <summary>Creates a tail keeping at most <paramref name="capacity"/> lines.</summary>
    public LineTail(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
    }

    /// <summary>Adds a line, dropping the oldest when full.</summary>
    public void Add(string line)
    {
        lock (_gate)
        {
            if (_lines.Count == _capacity) _lines.Dequeue();
            _lines.Enqueue(line);
        }
    }

    /// <summary>The kept lines, oldest first.</summary>
    public IReadOnlyList<string> Lines
    {
        get { lock (_gate) return _lines.ToArray(); }
    }
}

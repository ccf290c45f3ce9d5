using KubeRunbooks.Reporting;

namespace KubeRunbooks.Runbooks.Facts;

/// <summary>
/// The facts of one run, recorded once: a typed value for the later steps and its text in the run journal (the
/// report), from the same call.
/// </summary>
public sealed class RunFacts
{
    private readonly RunJournal _journal;
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    /// <summary>Records into <paramref name="journal"/>.</summary>
    public RunFacts(RunJournal journal) => _journal = journal;

    /// <summary>Records <paramref name="value"/> as <paramref name="fact"/> (a later value replaces it).</summary>
    public void Record<T>(RunFact<T> fact, T value)
    {
        lock (_values) _values[fact.Key] = value;
        _journal.RecordFact(fact.Key, fact.Text(value));
    }

    /// <summary>The value recorded as <paramref name="fact"/>, if any.</summary>
    public bool TryGet<T>(RunFact<T> fact, out T value)
    {
        lock (_values)
        {
            if (_values.TryGetValue(fact.Key, out var stored) && stored is T typed)
            {
                value = typed;
                return true;
            }
        }
        value = default!;
        return false;
    }
}

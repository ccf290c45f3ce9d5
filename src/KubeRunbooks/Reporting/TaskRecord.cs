namespace KubeRunbooks.Reporting;

/// <summary>One task of a run as the journal saw it. Values are already masked.</summary>
public sealed class TaskRecord
{
    private readonly List<KeyValuePair<string, string>> _facts = [];

    internal TaskRecord(string name, DateTimeOffset startedAt)
    {
        Name = name;
        StartedAt = startedAt;
    }

    /// <summary>The task name.</summary>
    public string Name { get; }

    /// <summary>When the task started (or was skipped).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>When it ended, or <c>null</c> while it runs.</summary>
    public DateTimeOffset? EndedAt { get; internal set; }

    /// <summary>How it ended.</summary>
    public TaskOutcome Outcome { get; internal set; } = TaskOutcome.Running;

    /// <summary>The error message of a failed task, or the reason a task was skipped.</summary>
    public string? Message { get; internal set; }

    /// <summary>How long it ran, or <c>null</c> while it runs.</summary>
    public TimeSpan? Duration => EndedAt - StartedAt;

    /// <summary>Facts the task recorded (original replicas, previous tag, backup id...), in recording order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Facts => _facts;

    internal void SetFact(string key, string value) => FactList.Set(_facts, key, value);
}

/// <summary>An ordered key/value list where recording a key again replaces its value in place.</summary>
internal static class FactList
{
    public static void Set(List<KeyValuePair<string, string>> facts, string key, string value)
    {
        var index = facts.FindIndex(f => f.Key == key);
        if (index >= 0)
        {
            facts[index] = new(key, value);
        }
        else
        {
            facts.Add(new(key, value));
        }
    }
}

using Cake.Core;

namespace KubeRunbooks.Frosting.Hosting;

/// <summary>
/// What the host learns while Cake's engine runs: the failures of user code (task bodies,
/// lifetimes, planned mutations) and each task's outcome, so that the exit code, the failed task
/// and the report survive an engine that throws.
/// </summary>
internal sealed class RunState
{
    private readonly List<(string Task, Exception Exception)> _failures = [];

    /// <summary>Set when user code threw an exception that ends in one line (codes 2 and 3), until the next task starts.</summary>
    public bool UserErrorSeen { get; private set; }

    /// <summary>The outcomes recorded from the engine's task teardown events.</summary>
    public CakeReport Report { get; } = new();

    /// <summary>Records a failure of user code; <paramref name="task"/> is null for lifetimes.</summary>
    public void RecordFailure(string? task, Exception exception)
    {
        if (task is not null)
        {
            _failures.Add((task, exception));
        }

        if (FailureClassifier.IsUserError(exception))
        {
            UserErrorSeen = true;
        }
    }

    /// <summary>
    /// A task is about to start: an earlier user error was handled (OnError, ContinueOnError), so
    /// Cake's error lines are shown again.
    /// </summary>
    public void TaskStarting() => UserErrorSeen = false;

    /// <summary>Records one task's outcome as Cake reports it.</summary>
    public void RecordOutcome(ITaskTeardownContext info)
    {
        if (info.Skipped)
        {
            Report.AddSkipped(info.Task.Name, string.Empty);
        }
        else if (info.ThrownException is not null)
        {
            Report.AddFailed(info.Task.Name, info.Duration);
        }
        else
        {
            Report.Add(info.Task.Name, info.Duration);
        }
    }

    /// <summary>The task whose exception is part of <paramref name="final"/>, the exception that ended the run.</summary>
    public string? FailedTask(Exception final)
    {
        var chain = FailureClassifier.Chain(final).ToHashSet(ReferenceEqualityComparer.Instance);
        for (var i = _failures.Count - 1; i >= 0; i--)
        {
            if (chain.Contains(_failures[i].Exception))
            {
                return _failures[i].Task;
            }
        }

        return null;
    }
}

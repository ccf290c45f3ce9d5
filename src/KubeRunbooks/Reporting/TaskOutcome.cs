namespace KubeRunbooks.Reporting;

/// <summary>How a task ended.</summary>
public enum TaskOutcome
{
    /// <summary>Started and not yet finished (a report written now shows the run was cut short).</summary>
    Running,

    /// <summary>The task body ran and returned.</summary>
    Succeeded,

    /// <summary>The task body threw.</summary>
    Failed,

    /// <summary>The task did not run (criteria false, dry run, or an earlier failure).</summary>
    Skipped,
}

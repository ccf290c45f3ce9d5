namespace KubeRunbooks.Errors;

/// <summary>
/// The process exit codes of the runbook host. Frosting itself only knows 0 and -1; operators and
/// pipelines need to tell a failed step from bad input and from a cluster that is busy.
/// </summary>
public enum ExitCode
{
    /// <summary>Every task ran (or was skipped by its criteria) and none failed.</summary>
    Success = 0,

    /// <summary>A step failed; the report says which and what was left behind.</summary>
    StepFailed = 1,

    /// <summary>The input was invalid (arguments, profile, versions); nothing was changed on the cluster.</summary>
    InvalidInput = 2,

    /// <summary>Another run holds the cluster lock; nothing was changed.</summary>
    LockHeld = 3,
}

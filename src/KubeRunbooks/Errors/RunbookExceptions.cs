namespace KubeRunbooks.Errors;

/// <summary>
/// Input a user can correct (an unknown profile, a malformed file, a wrong version): the host prints
/// the message as one line and exits with <see cref="ExitCode.InvalidInput"/>. Raise it only before
/// the first mutation. The message must never contain a secret.
/// </summary>
public class InvalidInputException : Exception
{
    /// <summary>Creates the exception with the one line shown to the operator.</summary>
    public InvalidInputException(string message) : base(message) { }

    /// <summary>Creates the exception with the one line shown to the operator and its cause.</summary>
    public InvalidInputException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// The cluster lock is held by another run: the host prints the message (holder, expiry) as one
/// line and exits with <see cref="ExitCode.LockHeld"/>. Nothing was changed.
/// </summary>
public class ClusterLockHeldException : Exception
{
    /// <summary>Creates the exception with the one line shown to the operator.</summary>
    public ClusterLockHeldException(string message) : base(message) { }
}

/// <summary>
/// A runbook step found the cluster in a state it must not go on from (a failed schema migration, a failed
/// backup). The host exits with <see cref="ExitCode.StepFailed"/>; the message says what happened, what state it
/// left and the exact command that recovers.
/// </summary>
public class StepFailedException : Exception
{
    /// <summary>Creates the exception with the lines shown to the operator.</summary>
    public StepFailedException(string message) : base(message) { }

    /// <summary>Creates the exception with the lines shown to the operator and its cause.</summary>
    public StepFailedException(string message, Exception inner) : base(message, inner) { }
}

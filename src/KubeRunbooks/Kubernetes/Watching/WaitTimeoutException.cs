namespace KubeRunbooks.Kubernetes.Watching;

/// <summary>A wait ran out of time; the one-line message names what was awaited and the last state seen.</summary>
public sealed class WaitTimeoutException : TimeoutException
{
    /// <summary>Creates the exception with the one line shown to the operator.</summary>
    /// <param name="message">What was awaited, for how long, and the last state seen.</param>
    public WaitTimeoutException(string message) : base(message) { }
}

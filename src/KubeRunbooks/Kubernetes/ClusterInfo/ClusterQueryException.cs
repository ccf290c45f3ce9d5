namespace KubeRunbooks.Kubernetes.ClusterInfo;

/// <summary>
/// The cluster API could not answer a read (unreachable, 5xx, forbidden). The message is one line naming
/// what was asked and what came back; the host reports it as a failed step.
/// </summary>
public sealed class ClusterQueryException : Exception
{
    /// <summary>Creates the exception with its one-line message and cause.</summary>
    public ClusterQueryException(string message, Exception inner) : base(message, inner) { }
}

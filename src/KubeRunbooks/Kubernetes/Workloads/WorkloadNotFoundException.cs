namespace KubeRunbooks.Kubernetes.Workloads;

/// <summary>A workload or one of its containers does not exist; the message is one line naming it.</summary>
public sealed class WorkloadNotFoundException : Exception
{
    /// <summary>Creates the exception with the one line shown to the operator.</summary>
    public WorkloadNotFoundException(string message) : base(message) { }
}

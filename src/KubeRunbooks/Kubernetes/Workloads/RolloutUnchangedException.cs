namespace KubeRunbooks.Kubernetes.Workloads;

/// <summary>
/// A rollout restart rolled out no new revision (the patch changed nothing, or the pod template was put back by
/// someone else), so no pod of a new revision exists to wait for; the message is one line naming the workload and
/// the revision its pods still run.
/// </summary>
public sealed class RolloutUnchangedException : Exception
{
    /// <summary>Creates the exception with the one line shown to the operator.</summary>
    public RolloutUnchangedException(string message) : base(message) { }
}

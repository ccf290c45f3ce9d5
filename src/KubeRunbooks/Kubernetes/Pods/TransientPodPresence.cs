namespace KubeRunbooks.Kubernetes.Pods;

/// <summary>What is found under a transient pod's name (see <see cref="TransientPod.PresenceAsync"/>).</summary>
public enum TransientPodPresence
{
    /// <summary>No pod of that name.</summary>
    Absent,

    /// <summary>A pod this tool created for the same purpose (for example left by a killed run): replaced or deleted.</summary>
    Ours,

    /// <summary>A pod someone else created, or this tool for another purpose: never touched.</summary>
    Foreign,
}

namespace KubeRunbooks.Kubernetes.Pods;

/// <summary>What is found under a work pod's name (see <see cref="WorkPod.PresenceAsync"/>).</summary>
public enum WorkPodPresence
{
    /// <summary>No pod of that name.</summary>
    Absent,

    /// <summary>A pod this tool created (left by a killed run): replaced.</summary>
    Ours,

    /// <summary>A pod someone else created: never touched.</summary>
    Foreign,
}

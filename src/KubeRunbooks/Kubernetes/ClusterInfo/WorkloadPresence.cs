namespace KubeRunbooks.Kubernetes.ClusterInfo;

/// <summary>Whether a workload of the profile exists.</summary>
public enum WorkloadPresence
{
    /// <summary>Found.</summary>
    Present,

    /// <summary>Not found, and the profile marks it optional.</summary>
    Absent,

    /// <summary>Not found, although the profile requires it.</summary>
    Missing,
}

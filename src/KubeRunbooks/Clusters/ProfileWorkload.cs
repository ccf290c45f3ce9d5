using KubeRunbooks.Kubernetes.Workloads;

namespace KubeRunbooks.Clusters;

/// <summary>A workload a profile names (shown by ClusterInfo, scaled by runbooks), with its normal replica count.</summary>
/// <param name="Name">The object name.</param>
/// <param name="Replicas">The replica count in normal operation.</param>
/// <param name="Kind">StatefulSet or Deployment.</param>
/// <param name="Optional">Whether a cluster may lack it (reported as absent, not an error).</param>
public sealed record ProfileWorkload(string Name, int Replicas, WorkloadKind Kind = WorkloadKind.StatefulSet, bool Optional = false)
{
    /// <summary>The workload on the cluster, in <paramref name="ns"/>.</summary>
    public WorkloadRef In(string ns) => new(Kind, ns, Name);
}

using KubeRunbooks.Kubernetes.Workloads;

namespace KubeRunbooks.Secrets;

/// <summary>A workload whose pods read a Secret's key as environment variables.</summary>
/// <param name="Workload">The Deployment or StatefulSet.</param>
/// <param name="Variables">Per container, the variable names that hold the key's value (empty: it reads other keys or mounts the Secret).</param>
public sealed record SecretConsumer(WorkloadRef Workload, IReadOnlyList<(string Container, string Variable)> Variables);

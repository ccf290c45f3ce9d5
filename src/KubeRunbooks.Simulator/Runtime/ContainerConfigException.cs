namespace KubeRunbooks.Simulator.Runtime;

/// <summary>
/// A container cannot be created from its spec (a missing ConfigMap, Secret or key): the pod stays
/// waiting, as a real kubelet leaves it in CreateContainerConfigError. The message names objects, never values.
/// </summary>
public sealed class ContainerConfigException(string reason, string message) : Exception(message)
{
    /// <summary>The waiting reason a real kubelet shows (CreateContainerConfigError, ContainerCreating).</summary>
    public string Reason { get; } = reason;
}

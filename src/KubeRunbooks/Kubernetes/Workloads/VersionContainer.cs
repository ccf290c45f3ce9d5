using k8s.Models;

namespace KubeRunbooks.Kubernetes.Workloads;

/// <summary>The container of a workload whose image tag is the product's version.</summary>
public static class VersionContainer
{
    /// <summary>
    /// The container named <paramref name="name"/>, else the first whose image repository ends with
    /// <paramref name="imageRepository"/>, else the first; null when the workload has none.
    /// </summary>
    public static V1Container? Find(WorkloadState state, string name, string imageRepository) =>
        state.Containers.FirstOrDefault(c => c.Name == name)
        ?? state.Containers.FirstOrDefault(c => c.Image is { } i && !string.IsNullOrWhiteSpace(i) && ImageReference.Parse(i).Repository.EndsWith(imageRepository, StringComparison.Ordinal))
        ?? state.Containers.FirstOrDefault();
}

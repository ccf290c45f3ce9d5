using k8s.Models;

namespace KubeRunbooks.Kubernetes.Workloads;

/// <summary>
/// The fields of a StatefulSet or Deployment that scaling and waiting look at, read from either kind
/// so the rest of the code does not branch on the kind.
/// </summary>
/// <param name="Ref">Which workload.</param>
/// <param name="Generation">metadata.generation.</param>
/// <param name="ObservedGeneration">status.observedGeneration (0 when absent).</param>
/// <param name="DesiredReplicas">spec.replicas (the API defaults it to 1).</param>
/// <param name="StatusReplicas">status.replicas: pods that exist.</param>
/// <param name="ReadyReplicas">status.readyReplicas.</param>
/// <param name="SelectorLabels">spec.selector.matchLabels.</param>
/// <param name="Annotations">metadata.annotations.</param>
/// <param name="Containers">The pod template's containers.</param>
/// <param name="InitContainers">The pod template's init containers.</param>
public sealed record WorkloadState(
    WorkloadRef Ref,
    long Generation,
    long ObservedGeneration,
    int DesiredReplicas,
    int StatusReplicas,
    int ReadyReplicas,
    IReadOnlyDictionary<string, string> SelectorLabels,
    IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyList<V1Container> Containers,
    IReadOnlyList<V1Container> InitContainers)
{
    /// <summary>Reads a StatefulSet.</summary>
    public static WorkloadState From(V1StatefulSet s) => new(
        WorkloadRef.StatefulSet(s.Metadata.NamespaceProperty, s.Metadata.Name),
        s.Metadata.Generation ?? 0, s.Status?.ObservedGeneration ?? 0,
        s.Spec?.Replicas ?? 1, s.Status?.Replicas ?? 0, s.Status?.ReadyReplicas ?? 0,
        Copy(s.Spec?.Selector?.MatchLabels), Copy(s.Metadata.Annotations),
        s.Spec?.Template?.Spec?.Containers?.ToList() ?? [], s.Spec?.Template?.Spec?.InitContainers?.ToList() ?? []);

    /// <summary>Reads a Deployment.</summary>
    public static WorkloadState From(V1Deployment d) => new(
        WorkloadRef.Deployment(d.Metadata.NamespaceProperty, d.Metadata.Name),
        d.Metadata.Generation ?? 0, d.Status?.ObservedGeneration ?? 0,
        d.Spec?.Replicas ?? 1, d.Status?.Replicas ?? 0, d.Status?.ReadyReplicas ?? 0,
        Copy(d.Spec?.Selector?.MatchLabels), Copy(d.Metadata.Annotations),
        d.Spec?.Template?.Spec?.Containers?.ToList() ?? [], d.Spec?.Template?.Spec?.InitContainers?.ToList() ?? []);

    /// <summary>The label selector text for the workload's pods (<c>k=v,k2=v2</c>).</summary>
    public string PodSelector => string.Join(',', SelectorLabels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    /// <summary>
    /// True when the controller has seen the current spec and exactly <paramref name="replicas"/> pods exist and are
    /// ready. (Zero is decided on the pods themselves, see <see cref="WorkloadOperations"/>.)
    /// </summary>
    public bool HasReadyReplicas(int replicas) =>
        ObservedGeneration >= Generation && DesiredReplicas == replicas && ReadyReplicas == replicas && StatusReplicas == replicas;

    /// <summary>A short description for progress and timeout messages.</summary>
    public string Describe() => $"{ReadyReplicas}/{DesiredReplicas} ready, {StatusReplicas} pods, generation {ObservedGeneration}/{Generation} observed";

    private static IReadOnlyDictionary<string, string> Copy(IDictionary<string, string>? source) =>
        source is null ? new Dictionary<string, string>() : new Dictionary<string, string>(source);
}

namespace KubeRunbooks.Kubernetes.Workloads;

/// <summary>The kinds of workload the runbooks scale, patch and roll out.</summary>
public enum WorkloadKind
{
    /// <summary>An apps/v1 StatefulSet.</summary>
    StatefulSet,

    /// <summary>An apps/v1 Deployment.</summary>
    Deployment,

    /// <summary>
    /// An OpenShift <c>apps.openshift.io/v1</c> DeploymentConfig: rolled out by <see cref="WorkloadRollout"/> only
    /// (<see cref="WorkloadOperations"/> reads, scales and patches the apps/v1 kinds).
    /// </summary>
    DeploymentConfig,
}

/// <summary>A named workload in a namespace.</summary>
/// <param name="Kind">StatefulSet or Deployment.</param>
/// <param name="Namespace">The namespace.</param>
/// <param name="Name">The workload's name.</param>
public sealed record WorkloadRef(WorkloadKind Kind, string Namespace, string Name)
{
    /// <summary>A StatefulSet reference.</summary>
    public static WorkloadRef StatefulSet(string ns, string name) => new(WorkloadKind.StatefulSet, ns, name);

    /// <summary>A Deployment reference.</summary>
    public static WorkloadRef Deployment(string ns, string name) => new(WorkloadKind.Deployment, ns, name);

    /// <summary>An OpenShift DeploymentConfig reference.</summary>
    public static WorkloadRef DeploymentConfig(string ns, string name) => new(WorkloadKind.DeploymentConfig, ns, name);

    /// <summary>The name of a StatefulSet's first pod (<c>NAME-0</c>): the one that starts first and runs alone at replicas 1.</summary>
    public string FirstPodName => Kind == WorkloadKind.StatefulSet
        ? Name + "-0"
        : throw new InvalidOperationException($"{this} is not a StatefulSet: its pods have no ordinal names.");

    /// <summary>As kubectl names it: <c>statefulset/NAME -n NS</c> style, e.g. <c>statefulset vantiq/vantiq</c>, <c>deploymentconfig 3scale/system-app</c>.</summary>
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} {Namespace}/{Name}";
}

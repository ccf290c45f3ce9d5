using KubeRunbooks.Kubernetes.Workloads;

namespace KubeRunbooks.Runbooks.Ledger;

/// <summary>The operation a plan opens once the lock is held (see <see cref="KubeRunbooks.Runbooks.Plans.IRunbookPlan.Opens"/>).</summary>
/// <param name="Anchor">The object that carries the record.</param>
/// <param name="Target">The target that opens it.</param>
/// <param name="Inputs">What it is started with (e.g. <c>from</c>, <c>to</c>).</param>
public sealed record OperationOpening(WorkloadRef Anchor, string Target, IReadOnlyDictionary<string, string> Inputs)
{
    /// <summary>Where the cluster serves DeploymentConfigs, when <see cref="Anchor"/> is one (null for the apps/v1 kinds).</summary>
    public DeploymentConfigApi? DeploymentConfigs { get; init; }

    /// <summary>The record to write for run <paramref name="run"/>, started <paramref name="at"/>.</summary>
    public OperationRecord RecordFor(string run, DateTimeOffset at) => new() { Target = Target, Run = run, StartedAt = at, Inputs = Inputs };
}

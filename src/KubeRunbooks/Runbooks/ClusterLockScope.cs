namespace KubeRunbooks.Runbooks;

/// <summary>
/// The cluster lock's fixed parts: its Lease name and lifetime. Its namespace is an input: the plan's
/// <see cref="Plans.IRunbookPlan.LockNamespace"/> (the product the run changes), <see cref="DefaultNamespace"/> without a plan.
/// </summary>
public static class ClusterLockScope
{
    /// <summary>The Lease's name.</summary>
    public const string LeaseName = "kuberunbooks-lock";

    /// <summary>The Lease's namespace for a target without a plan.</summary>
    public const string DefaultNamespace = "default";

    /// <summary>How long the lease stays valid without renewal (renewed every third of it while the run lives).</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromMinutes(2);
}

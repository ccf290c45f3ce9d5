namespace KubeRunbooks.Runbooks;

/// <summary>
/// Where this run's cluster lock lives: a runbook's validation sets the namespace of the product it changes
/// (read with <c>context.RunState&lt;ClusterLockScope&gt;()</c>), the <c>Lock</c> task takes it there.
/// </summary>
public sealed class ClusterLockScope
{
    /// <summary>The Lease's name.</summary>
    public const string LeaseName = "kuberunbooks-lock";

    /// <summary>The Lease's namespace.</summary>
    public string Namespace { get; set; } = "default";

    /// <summary>How long the lease stays valid without renewal (renewed every third of it while the run lives).</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(2);
}

namespace KubeRunbooks.Frosting;

/// <summary>
/// How the host is running, for code that Cake runs in every mode. Under --dryrun Cake's engine runs
/// no task body but does run the Setup and Teardown lifetimes (as Cake.Frosting does), so a lifetime
/// that changes anything (for example takes the cluster lock) must inject this and check
/// <see cref="IsDryRun"/>. Registered as a singleton by the host.
/// </summary>
public sealed class RunMode
{
    /// <summary>True under --dryrun / --noop / --whatif.</summary>
    public bool IsDryRun { get; internal set; }
}

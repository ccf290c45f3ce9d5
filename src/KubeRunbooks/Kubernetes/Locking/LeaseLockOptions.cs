namespace KubeRunbooks.Kubernetes.Locking;

/// <summary>Where the cluster lock lives and who takes it.</summary>
/// <param name="Namespace">The namespace of the coordination.k8s.io/v1 Lease.</param>
/// <param name="Name">The Lease's name (for example <c>kuberunbooks-lock</c>).</param>
/// <param name="Holder">The holder identity: the run id.</param>
/// <param name="Duration">How long the lease stays valid without renewal.</param>
/// <param name="RenewEvery">How often the background renewal runs; defaults to a third of <paramref name="Duration"/>.</param>
/// <param name="IsAbandoned">
/// Says of another holder's identity that its run is certainly gone (for example a process of this machine that
/// no longer exists), so its unexpired lease may be taken over at once; null: only expiry frees a lease.
/// </param>
public sealed record LeaseLockOptions(string Namespace, string Name, string Holder, TimeSpan Duration, TimeSpan? RenewEvery = null, Func<string, bool>? IsAbandoned = null)
{
    /// <summary>The renewal period actually used.</summary>
    public TimeSpan RenewalPeriod => RenewEvery ?? TimeSpan.FromTicks(Duration.Ticks / 3);

    /// <summary>The lease duration in whole seconds, at least 1.</summary>
    public int DurationSeconds => Math.Max(1, (int)Math.Ceiling(Duration.TotalSeconds));
}

using k8s.Models;

namespace KubeRunbooks.Kubernetes.Locking;

/// <summary>Reads and writes one Lease with optimistic concurrency (the seam the lock logic is tested through).</summary>
internal interface ILeaseStore
{
    /// <summary>The Lease, or null when it does not exist.</summary>
    Task<V1Lease?> GetAsync(CancellationToken cancellationToken);

    /// <summary>Creates the Lease; raises <see cref="LeaseConflictException"/> when it already exists.</summary>
    Task<V1Lease> CreateAsync(V1Lease lease, CancellationToken cancellationToken);

    /// <summary>Replaces the Lease at its resourceVersion; raises <see cref="LeaseConflictException"/> on a stale one.</summary>
    Task<V1Lease> ReplaceAsync(V1Lease lease, CancellationToken cancellationToken);
}

/// <summary>Someone else wrote the Lease first (HTTP 409): re-read and decide again.</summary>
internal sealed class LeaseConflictException : Exception
{
    public LeaseConflictException() : base("The lease was changed by another writer.") { }
}

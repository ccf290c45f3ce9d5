using k8s;
using k8s.Models;
using KubeRunbooks.Errors;

namespace KubeRunbooks.Kubernetes.Locking;

/// <summary>
/// The cluster lock: a coordination.k8s.io/v1 Lease whose holder is the run id. A Lease held by another run and
/// not expired raises <see cref="ClusterLockHeldException"/>; an expired or released one is taken over with
/// optimistic concurrency (a 409 re-reads and decides again). The returned handle renews in the background
/// and releases on dispose.
/// </summary>
/// <remarks>
/// Not <c>k8s.LeaderElection</c> (KubernetesClient 21), reviewed: its <c>LeaderElector</c> waits until it leads
/// (a run must refuse at once, naming holder and expiry), judges expiry by when this process first saw the record
/// rather than by its renewTime (a long-expired lock would still make a new run wait a whole duration), cannot take a
/// released lease (a null holder sends it to create, which conflicts forever), and never releases; its
/// <c>LeaseLock.CreateAsync</c>/<c>UpdateAsync</c> turn every HTTP error into <c>false</c>, so a lost race (409, read
/// again) cannot be told from a refusal (403, exit 2) or a server error (retried by the client's handler).
/// </remarks>
public sealed class LeaseLock
{
    private const int MaxConflicts = 5;
    private readonly Func<LeaseLockOptions, ILeaseStore> _stores;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;

    /// <summary>Creates the lock over a client.</summary>
    /// <param name="client">The Kubernetes client.</param>
    /// <param name="time">The clock (tests pass a fixed one).</param>
    /// <param name="log">Progress lines.</param>
    public LeaseLock(IKubernetes client, TimeProvider? time = null, Action<string>? log = null)
        : this(o => new KubernetesLeaseStore(client, o.Namespace, o.Name), time, log) { }

    internal LeaseLock(Func<LeaseLockOptions, ILeaseStore> stores, TimeProvider? time = null, Action<string>? log = null)
    {
        _stores = stores;
        _time = time ?? TimeProvider.System;
        _log = log ?? (_ => { });
    }

    /// <summary>Takes the lock or raises <see cref="ClusterLockHeldException"/> naming the holder and expiry.</summary>
    /// <param name="options">Where the Lease is, who holds it, for how long.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>The held lock; dispose it (in Finally) to stop renewal and release.</returns>
    public async Task<LeaseHandle> AcquireAsync(LeaseLockOptions options, CancellationToken cancellationToken = default)
    {
        var store = _stores(options);
        var lease = await WriteAsync(store, options, renewOnly: false, cancellationToken).ConfigureAwait(false);
        _log($"Lock taken: lease {options.Namespace}/{options.Name} held by run {options.Holder} for {options.DurationSeconds}s, renewed every {options.RenewalPeriod.TotalSeconds:0.#}s.");
        return new LeaseHandle(this, store, options, lease);
    }

    internal async Task<V1Lease> WriteAsync(ILeaseStore store, LeaseLockOptions options, bool renewOnly, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await store.GetAsync(cancellationToken).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            var decision = LeaseRules.Decide(existing, options.Holder, now, renewOnly ? null : options.IsAbandoned);
            if (renewOnly && decision != LeaseDecision.Renew)
                throw new ClusterLockHeldException($"The cluster lock (lease {options.Namespace}/{options.Name}) was lost by run {options.Holder}: it is now held by {(existing?.Spec?.HolderIdentity is { Length: > 0 } h ? h : "nobody")}.");
            try
            {
                switch (decision)
                {
                    case LeaseDecision.Held:
                        throw new ClusterLockHeldException(LeaseRules.HeldMessage(options.Namespace, options.Name, existing!));
                    case LeaseDecision.Create:
                        return await store.CreateAsync(NewLease(options, now), cancellationToken).ConfigureAwait(false);
                    case LeaseDecision.TakeOver:
                        if (!string.IsNullOrEmpty(existing!.Spec?.HolderIdentity))
                            _log($"Taking over the lock of run {existing.Spec.HolderIdentity}: it expired or its run is gone.");
                        return await store.ReplaceAsync(TakeOver(existing, options, now), cancellationToken).ConfigureAwait(false);
                    default:
                        return await store.ReplaceAsync(Renewed(existing!, options, now), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (LeaseConflictException) when (attempt < MaxConflicts)
            {
                // Another writer got there first: read again and decide on what it wrote.
            }
        }
    }

    internal async Task ReleaseAsync(ILeaseStore store, LeaseLockOptions options, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxConflicts; attempt++)
        {
            var existing = await store.GetAsync(cancellationToken).ConfigureAwait(false);
            if (existing?.Spec?.HolderIdentity != options.Holder) return; // not ours any more: leave it alone
            var released = Copy(existing);
            released.Spec.HolderIdentity = null;
            released.Spec.RenewTime = _time.GetUtcNow().UtcDateTime;
            try
            {
                await store.ReplaceAsync(released, cancellationToken).ConfigureAwait(false);
                _log($"Lock released: lease {options.Namespace}/{options.Name}.");
                return;
            }
            catch (LeaseConflictException)
            {
                // Re-read: perhaps our own renewal raced the release.
            }
        }
    }

    internal TimeProvider Time => _time;

    internal Action<string> Log => _log;

    private static V1Lease NewLease(LeaseLockOptions o, DateTimeOffset now) => new()
    {
        ApiVersion = "coordination.k8s.io/v1",
        Kind = "Lease",
        Metadata = new V1ObjectMeta { Name = o.Name, NamespaceProperty = o.Namespace },
        Spec = new V1LeaseSpec
        {
            HolderIdentity = o.Holder,
            LeaseDurationSeconds = o.DurationSeconds,
            AcquireTime = now.UtcDateTime,
            RenewTime = now.UtcDateTime,
            LeaseTransitions = 0,
        },
    };

    private static V1Lease TakeOver(V1Lease existing, LeaseLockOptions o, DateTimeOffset now)
    {
        var lease = Copy(existing);
        lease.Spec.HolderIdentity = o.Holder;
        lease.Spec.LeaseDurationSeconds = o.DurationSeconds;
        lease.Spec.AcquireTime = now.UtcDateTime;
        lease.Spec.RenewTime = now.UtcDateTime;
        lease.Spec.LeaseTransitions = (existing.Spec?.LeaseTransitions ?? 0) + 1;
        return lease;
    }

    private static V1Lease Renewed(V1Lease existing, LeaseLockOptions o, DateTimeOffset now)
    {
        var lease = Copy(existing);
        lease.Spec.LeaseDurationSeconds = o.DurationSeconds;
        lease.Spec.RenewTime = now.UtcDateTime;
        return lease;
    }

    // A copy keeps metadata.resourceVersion, which makes the PUT conditional.
    private static V1Lease Copy(V1Lease lease)
    {
        var copy = KubernetesJson.Deserialize<V1Lease>(KubernetesJson.Serialize(lease));
        copy.Spec ??= new V1LeaseSpec();
        return copy;
    }
}

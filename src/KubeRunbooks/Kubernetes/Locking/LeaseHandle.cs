using KubeRunbooks.Errors;

namespace KubeRunbooks.Kubernetes.Locking;

/// <summary>
/// A held cluster lock. Renews in the background every <see cref="LeaseLockOptions.RenewalPeriod"/>; if a
/// renewal finds the lease taken by someone else, <see cref="Lost"/> becomes true and <see cref="LostToken"/> is
/// cancelled so the run can stop before its next mutation. Dispose releases it.
/// </summary>
public sealed class LeaseHandle : IAsyncDisposable
{
    private readonly LeaseLock _owner;
    private readonly ILeaseStore _store;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _lost = new();
    private readonly Task _renewal;
    private int _disposed;

    internal LeaseHandle(LeaseLock owner, ILeaseStore store, LeaseLockOptions options, k8s.Models.V1Lease lease)
    {
        _owner = owner;
        _store = store;
        Options = options;
        ExpiresAt = LeaseRules.ExpiresAt(lease);
        _renewal = Task.Run(RenewLoopAsync);
    }

    /// <summary>The lock's options.</summary>
    public LeaseLockOptions Options { get; }

    /// <summary>When the lease expires unless renewed, as of the last successful write.</summary>
    public DateTimeOffset? ExpiresAt { get; private set; }

    /// <summary>How many background renewals succeeded.</summary>
    public int Renewals { get; private set; }

    /// <summary>True once a renewal found the lease held by another run.</summary>
    public bool Lost => _lost.IsCancellationRequested;

    /// <summary>Cancelled when the lock is lost.</summary>
    public CancellationToken LostToken => _lost.Token;

    /// <summary>Renews once now (the background loop calls this too).</summary>
    public async Task RenewAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var lease = await _owner.WriteAsync(_store, Options, renewOnly: true, cancellationToken).ConfigureAwait(false);
            ExpiresAt = LeaseRules.ExpiresAt(lease);
            Renewals++;
        }
        catch (ClusterLockHeldException e)
        {
            _owner.Log(e.Message);
            await _lost.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task RenewLoopAsync()
    {
        while (!_stop.IsCancellationRequested && !Lost)
        {
            try
            {
                await Task.Delay(Options.RenewalPeriod, _owner.Time, _stop.Token).ConfigureAwait(false);
                await RenewAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (ClusterLockHeldException)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException or LeaseConflictException)
            {
                // A failed renewal is retried at the next period; the lease stays valid until it expires.
                _owner.Log($"Lock renewal failed ({e.GetType().Name}); retrying in {Options.RenewalPeriod.TotalSeconds:0.#}s.");
            }
        }
    }

    /// <summary>Stops renewal and releases the lease if this run still holds it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewal.ConfigureAwait(false);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _owner.ReleaseAsync(_store, Options, timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            _stop.Dispose(); // _lost stays usable: callers may still read Lost after release
        }
    }
}

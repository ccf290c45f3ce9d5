using k8s;
using k8s.Models;
using KubeRunbooks.Kubernetes.Locking;

namespace KubeRunbooks.Tests.Kubernetes.Locking;

/// <summary>One Lease in memory with the API server's optimistic concurrency: a stale resourceVersion is a conflict.</summary>
internal sealed class FakeLeaseStore : ILeaseStore
{
    private readonly Lock _gate = new();
    private V1Lease? _lease;
    private int _version;

    /// <summary>Runs before a write is applied, to let a test slip in a competing write.</summary>
    public Action? BeforeWrite { get; set; }

    public int Writes { get; private set; }

    public V1Lease? Current
    {
        get { lock (_gate) return _lease is null ? null : Clone(_lease); }
    }

    public void Put(V1Lease lease)
    {
        lock (_gate)
        {
            _lease = Clone(lease);
            _lease.Metadata ??= new V1ObjectMeta();
            _lease.Metadata.ResourceVersion = (++_version).ToString();
        }
    }

    public Task<V1Lease?> GetAsync(CancellationToken cancellationToken) => Task.FromResult(Current);

    public Task<V1Lease> CreateAsync(V1Lease lease, CancellationToken cancellationToken)
    {
        Interfere();
        lock (_gate)
        {
            if (_lease is not null) throw new LeaseConflictException();
            Writes++;
            Put(lease);
            return Task.FromResult(Clone(_lease!));
        }
    }

    public Task<V1Lease> ReplaceAsync(V1Lease lease, CancellationToken cancellationToken)
    {
        Interfere();
        lock (_gate)
        {
            if (_lease is null || _lease.Metadata.ResourceVersion != lease.Metadata?.ResourceVersion) throw new LeaseConflictException();
            Writes++;
            Put(lease);
            return Task.FromResult(Clone(_lease!));
        }
    }

    private void Interfere()
    {
        var action = BeforeWrite;
        BeforeWrite = null;
        action?.Invoke();
    }

    private static V1Lease Clone(V1Lease lease) => KubernetesJson.Deserialize<V1Lease>(KubernetesJson.Serialize(lease));
}

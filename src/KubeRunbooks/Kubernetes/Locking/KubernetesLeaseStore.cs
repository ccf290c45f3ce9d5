using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace KubeRunbooks.Kubernetes.Locking;

/// <summary>The Lease on the cluster through coordination.k8s.io/v1.</summary>
internal sealed class KubernetesLeaseStore : ILeaseStore
{
    private readonly IKubernetes _client;
    private readonly string _ns;
    private readonly string _name;

    public KubernetesLeaseStore(IKubernetes client, string ns, string name)
    {
        _client = client;
        _ns = ns;
        _name = name;
    }

    public async Task<V1Lease?> GetAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _client.CoordinationV1.ReadNamespacedLeaseAsync(_name, _ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<V1Lease> CreateAsync(V1Lease lease, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.CoordinationV1.CreateNamespacedLeaseAsync(lease, _ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Conflict)
        {
            throw new LeaseConflictException();
        }
    }

    public async Task<V1Lease> ReplaceAsync(V1Lease lease, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, _name, _ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Conflict)
        {
            throw new LeaseConflictException();
        }
    }
}

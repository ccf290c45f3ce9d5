using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace KubeRunbooks.Kubernetes.Nodes;

/// <summary>
/// <c>kubectl taint nodes</c>: adds and removes a taint (by key and effect) on Node objects, read then replaced with
/// the resourceVersion read (a conflict is read again and retried), so the node's other taints are kept.
/// </summary>
public sealed class NodeTaints
{
    private readonly IKubernetes _client;
    private readonly Action<string> _log;

    /// <summary>Creates the operations.</summary>
    public NodeTaints(IKubernetes client, Action<string>? log = null)
    {
        _client = client;
        _log = log ?? (_ => { });
    }

    /// <summary>The names of the cluster's nodes; empty when the cluster lists none (or serves no nodes).</summary>
    public async Task<IReadOnlyList<V1Node>> ListAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return (await _client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Items.ToList();
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }
    }

    /// <summary>The nodes that carry a taint with <paramref name="key"/>.</summary>
    public async Task<IReadOnlyList<string>> TaintedAsync(string key, CancellationToken cancellationToken = default) =>
        (await ListAsync(cancellationToken).ConfigureAwait(false)).Where(n => n.Spec?.Taints?.Any(t => t.Key == key) == true).Select(n => n.Metadata.Name).ToList();

    /// <summary><c>kubectl taint nodes NODE key=value:effect</c> (no change when the node has it already).</summary>
    public Task AddAsync(string node, V1Taint taint, CancellationToken cancellationToken = default) =>
        ChangeAsync(node, taints =>
        {
            if (taints.Any(t => t.Key == taint.Key && t.Effect == taint.Effect)) return false;
            taints.Add(taint);
            _log($"Tainted node {node} {taint.Key}={taint.Value}:{taint.Effect}.");
            return true;
        }, cancellationToken);

    /// <summary><c>kubectl taint nodes NODE key:effect-</c> (no change when the node does not have it).</summary>
    public Task RemoveAsync(string node, string key, string effect, CancellationToken cancellationToken = default) =>
        ChangeAsync(node, taints =>
        {
            if (taints.RemoveAll(t => t.Key == key && t.Effect == effect) == 0) return false;
            _log($"Removed taint {key}:{effect} from node {node}.");
            return true;
        }, cancellationToken);

    private async Task ChangeAsync(string name, Func<List<V1Taint>, bool> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var node = await _client.CoreV1.ReadNodeAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            node.Spec ??= new V1NodeSpec();
            var taints = node.Spec.Taints?.ToList() ?? [];
            if (!change(taints)) return;
            node.Spec.Taints = taints;
            try
            {
                await _client.CoreV1.ReplaceNodeAsync(node, name, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Conflict && attempt < 5)
            {
                // Someone else changed the node (the kubelet updates it often): read again and retry.
            }
        }
    }
}

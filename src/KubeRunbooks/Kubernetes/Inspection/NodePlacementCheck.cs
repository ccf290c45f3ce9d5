using k8s;
using k8s.Models;

namespace KubeRunbooks.Kubernetes.Inspection;

/// <summary>
/// The seed's <c>kubectl describe nodes | egrep ...</c>: the pods of each workload on their intended nodes, given as
/// node names (<c>node-a,node-b</c>) or a node label selector (<c>zone=a</c>).
/// </summary>
public static class NodePlacementCheck
{
    /// <summary>True when the placement text is a label selector rather than node names.</summary>
    public static bool IsSelector(string placement) => placement.Contains('=', StringComparison.Ordinal);

    /// <summary>The node names a placement allows (a selector is resolved by listing the nodes).</summary>
    public static async Task<IReadOnlySet<string>> AllowedNodesAsync(IKubernetes client, string placement, CancellationToken cancellationToken = default)
    {
        if (!IsSelector(placement))
            return placement.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var nodes = await client.CoreV1.ListNodeAsync(labelSelector: placement, cancellationToken: cancellationToken).ConfigureAwait(false);
        return nodes.Items.Select(n => n.Metadata.Name).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>One check: each pod matching a workload's selector runs on a node its placement allows.</summary>
    /// <param name="client">The client.</param>
    /// <param name="ns">The workloads' namespace.</param>
    /// <param name="placements">Workload name to (pod label selector, placement text).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public static async Task<CheckResult> CheckAsync(IKubernetes client, string ns, IReadOnlyDictionary<string, (string PodSelector, string Placement)> placements, CancellationToken cancellationToken = default)
    {
        if (placements.Count == 0) return new CheckResult("pods on their nodes", true, "not checked: the profile names no node placement");
        var wrong = new List<string>();
        var count = 0;
        foreach (var (workload, (selector, placement)) in placements.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var allowed = await AllowedNodesAsync(client, placement, cancellationToken).ConfigureAwait(false);
            var pods = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var pod in pods.Items)
            {
                count++;
                var node = pod.Spec?.NodeName;
                if (node is null || !allowed.Contains(node))
                    wrong.Add($"{pod.Metadata.Name} is on {node ?? "no node"}, expected {placement}");
            }
        }

        return wrong.Count == 0
            ? new CheckResult("pods on their nodes", true, $"{count} pods of {string.Join(", ", placements.Keys.Order(StringComparer.Ordinal))} on their intended nodes")
            : new CheckResult("pods on their nodes", false, string.Join("; ", wrong));
    }
}

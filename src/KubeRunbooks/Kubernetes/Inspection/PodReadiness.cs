using k8s;
using k8s.Models;

namespace KubeRunbooks.Kubernetes.Inspection;

/// <summary>The seed's <c>kubectl get pod -A</c> look: every pod of some namespaces running with all containers ready.</summary>
public static class PodReadiness
{
    /// <summary>One check over the pods of <paramref name="namespaces"/> (finished Job pods count as fine).</summary>
    public static async Task<CheckResult> CheckAsync(IKubernetes client, IReadOnlyList<string> namespaces, CancellationToken cancellationToken = default)
    {
        var bad = new List<string>();
        var count = 0;
        foreach (var ns in namespaces)
        {
            var pods = await client.CoreV1.ListNamespacedPodAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var pod in pods.Items)
            {
                count++;
                if (pod.Status?.Phase == "Succeeded") continue;
                if (Problem(pod) is { } problem) bad.Add($"{ns}/{pod.Metadata.Name} {problem}");
            }
        }

        return bad.Count == 0
            ? new CheckResult("pods ready", true, $"{count} pods in {string.Join(", ", namespaces)} running and ready")
            : new CheckResult("pods ready", false, string.Join("; ", bad));
    }

    /// <summary>Why a pod is not running and ready, or null when it is.</summary>
    public static string? Problem(V1Pod pod)
    {
        if (pod.Status?.Phase != "Running") return $"is {pod.Status?.Phase ?? "Unknown"}";
        var notReady = (pod.Status.ContainerStatuses ?? []).Where(c => !c.Ready).Select(c => c.Name).ToList();
        if (notReady.Count > 0) return $"has containers not ready: {string.Join(", ", notReady)}";
        var ready = pod.Status.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        return ready is not null && ready.Status != "True" ? "is not Ready" : null;
    }
}

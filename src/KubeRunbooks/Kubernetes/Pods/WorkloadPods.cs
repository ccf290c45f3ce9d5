using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeRunbooks.Kubernetes.Workloads;

namespace KubeRunbooks.Kubernetes.Pods;

/// <summary>The pods of a workload and its pod template: where a command runs, what a helper pod is made from.</summary>
public sealed class WorkloadPods
{
    private readonly IKubernetes _client;

    /// <summary>Over a client.</summary>
    public WorkloadPods(IKubernetes client) => _client = client;

    /// <summary>The workload's pod template, or null when the workload does not exist.</summary>
    public async Task<V1PodTemplateSpec?> TryGetTemplateAsync(WorkloadRef workload, CancellationToken cancellationToken = default)
    {
        try
        {
            return workload.Kind == WorkloadKind.StatefulSet
                ? (await _client.AppsV1.ReadNamespacedStatefulSetAsync(workload.Name, workload.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false)).Spec.Template
                : (await _client.AppsV1.ReadNamespacedDeploymentAsync(workload.Name, workload.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false)).Spec.Template;
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// The name of a Ready pod of the workload that is not being deleted (the oldest first, as <c>kubectl exec deploy/NAME</c>
    /// picks one), or null when none is ready.
    /// </summary>
    public async Task<string?> FindReadyAsync(WorkloadState workload, CancellationToken cancellationToken = default)
    {
        if (workload.SelectorLabels.Count == 0) return null;
        var pods = await _client.CoreV1.ListNamespacedPodAsync(workload.Ref.Namespace, labelSelector: workload.PodSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
        return pods.Items
            .Where(p => p.Metadata.DeletionTimestamp is null && IsReady(p))
            .OrderBy(p => p.Metadata.CreationTimestamp ?? DateTime.MaxValue)
            .Select(p => p.Metadata.Name)
            .FirstOrDefault();
    }

    /// <summary>True when the pod runs and its Ready condition is True.</summary>
    public static bool IsReady(V1Pod pod) =>
        pod.Status?.Phase == "Running" && pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}

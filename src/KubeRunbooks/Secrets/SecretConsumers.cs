using k8s;
using k8s.Models;
using KubeRunbooks.Kubernetes.Workloads;

namespace KubeRunbooks.Secrets;

/// <summary>
/// The workloads of a namespace whose pods read a Secret (an env <c>secretKeyRef</c>, an <c>envFrom</c>
/// <c>secretRef</c> or a <c>secret</c> volume, in containers or init containers): what must roll out after it changes,
/// since a running pod keeps the value it started with.
/// </summary>
public static class SecretConsumers
{
    /// <summary>The Deployments and StatefulSets of <paramref name="ns"/> that read Secret <paramref name="secret"/>, by name.</summary>
    public static async Task<IReadOnlyList<WorkloadRef>> FindAsync(IKubernetes client, string ns, string secret, CancellationToken cancellationToken = default)
    {
        var deployments = await client.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        var statefulSets = await client.AppsV1.ListNamespacedStatefulSetAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        return deployments.Items.Where(d => Reads(d.Spec.Template.Spec, secret)).Select(d => WorkloadRef.Deployment(ns, d.Metadata.Name))
            .Concat(statefulSets.Items.Where(s => Reads(s.Spec.Template.Spec, secret)).Select(s => WorkloadRef.StatefulSet(ns, s.Metadata.Name)))
            .OrderBy(w => w.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>True when a pod of <paramref name="spec"/> reads Secret <paramref name="secret"/>.</summary>
    public static bool Reads(V1PodSpec spec, string secret) =>
        (spec.Volumes ?? []).Any(v => v.Secret?.SecretName == secret)
        || (spec.Containers ?? []).Concat(spec.InitContainers ?? []).Any(c =>
            (c.Env ?? []).Any(e => e.ValueFrom?.SecretKeyRef?.Name == secret)
            || (c.EnvFrom ?? []).Any(e => e.SecretRef?.Name == secret));
}

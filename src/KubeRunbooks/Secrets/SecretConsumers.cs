using k8s;
using k8s.Models;
using KubeRunbooks.Kubernetes.Workloads;

namespace KubeRunbooks.Secrets;

/// <summary>
/// The Deployments and StatefulSets of a namespace whose pod template references a Secret (<c>env.valueFrom.secretKeyRef</c>,
/// <c>envFrom.secretRef</c> or a <c>secret</c> volume): what must be rolled out after the Secret changes.
/// </summary>
public static class SecretConsumers
{
    /// <summary>Finds the consumers of <paramref name="secret"/>'s <paramref name="key"/>, in name order.</summary>
    public static async Task<IReadOnlyList<SecretConsumer>> FindAsync(IKubernetes client, string ns, string secret, string key, CancellationToken cancellationToken)
    {
        var found = new List<SecretConsumer>();
        foreach (var d in (await client.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false)).Items)
            if (Of(WorkloadRef.Deployment(ns, d.Metadata.Name), d.Spec.Template.Spec, secret, key) is { } consumer) found.Add(consumer);
        foreach (var s in (await client.AppsV1.ListNamespacedStatefulSetAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false)).Items)
            if (Of(WorkloadRef.StatefulSet(ns, s.Metadata.Name), s.Spec.Template.Spec, secret, key) is { } consumer) found.Add(consumer);
        return found.OrderBy(c => c.Workload.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>True when a pod of <paramref name="spec"/> reads Secret <paramref name="secret"/> (any key).</summary>
    public static bool Reads(V1PodSpec spec, string secret) => Of(WorkloadRef.Deployment("", ""), spec, secret, "") is not null;

    /// <summary>The consumer a pod spec makes of the Secret, or null when it does not reference it.</summary>
    public static SecretConsumer? Of(WorkloadRef workload, V1PodSpec spec, string secret, string key)
    {
        var variables = new List<(string, string)>();
        var references = spec.Volumes?.Any(v => v.Secret?.SecretName == secret) == true;
        foreach (var container in (spec.InitContainers ?? []).Concat(spec.Containers ?? []))
        {
            foreach (var env in container.Env ?? [])
            {
                if (env.ValueFrom?.SecretKeyRef is not { } reference || reference.Name != secret) continue;
                references = true;
                if (reference.Key == key) variables.Add((container.Name, env.Name));
            }
            foreach (var source in container.EnvFrom ?? [])
            {
                if (source.SecretRef?.Name != secret) continue;
                references = true;
                // An explicit env entry of the same name wins over envFrom.
                var name = (source.Prefix ?? "") + key;
                if (container.Env?.Any(e => e.Name == name) != true) variables.Add((container.Name, name));
            }
        }
        return references ? new SecretConsumer(workload, variables) : null;
    }
}

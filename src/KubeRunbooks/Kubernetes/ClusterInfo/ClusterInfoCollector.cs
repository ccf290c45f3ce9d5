using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeRunbooks.Clusters;
using KubeRunbooks.Kubernetes.Workloads;

namespace KubeRunbooks.Kubernetes.ClusterInfo;

/// <summary>
/// Reads what the <c>ClusterInfo</c> target shows: server and client versions with the skew check, and each
/// workload the profile names with its replicas, images and pod placement. Read-only.
/// </summary>
/// <param name="client">The Kubernetes client of the run.</param>
/// <param name="kubectl">Runs <c>kubectl version --client -o json</c>; <see cref="KubectlClientVersion.OnPath"/> in production.</param>
public sealed class ClusterInfoCollector(IKubernetes client, KubectlVersionRunner kubectl)
{
    /// <summary>
    /// Collects the report. A missing kubectl or an optional workload that is absent is reported, not fatal;
    /// an API failure throws <see cref="ClusterQueryException"/>.
    /// </summary>
    public async Task<ClusterInfoReport> CollectAsync(ClusterProfile profile, CancellationToken cancellationToken = default)
    {
        var serverInfo = await Query("GET /version", () => client.Version.GetCodeAsync(cancellationToken)).ConfigureAwait(false);
        var server = KubeVersion.From(serverInfo.Major, serverInfo.Minor, serverInfo.GitVersion)
            ?? throw new ClusterQueryException($"The cluster's /version has no usable version (gitVersion '{serverInfo.GitVersion}')", new FormatException());

        var (clientVersion, clientProblem) = await ReadClientVersion(profile.Timeouts.Default, cancellationToken).ConfigureAwait(false);
        var warnings = new List<string>();
        var skewTooLarge = false;
        if (clientVersion is not null)
        {
            var distance = clientVersion.MinorDistance(server);
            if (distance is null or > KubeVersion.AllowedMinorSkew)
            {
                skewTooLarge = true;
                warnings.Add($"kubectl {clientVersion} is outside the supported skew of server {server} (at most {KubeVersion.AllowedMinorSkew} minor version apart)");
            }
        }

        var workloads = new List<WorkloadInfo>();
        foreach (var (ns, workload) in WorkloadsOf(profile))
        {
            var info = await ReadWorkload(ns, workload, cancellationToken).ConfigureAwait(false);
            if (info.State == WorkloadPresence.Missing)
            {
                warnings.Add($"{workload.Kind} {ns}/{workload.Name} does not exist");
            }

            workloads.Add(info);
        }

        return new ClusterInfoReport
        {
            Server = server,
            Client = clientVersion,
            ClientProblem = clientProblem,
            SkewTooLarge = skewTooLarge,
            Warnings = warnings,
            Workloads = workloads,
        };
    }

    /// <summary>The workloads a profile names, with their namespaces, in profile order.</summary>
    public static IEnumerable<(string Namespace, ProfileWorkload Workload)> WorkloadsOf(ClusterProfile profile) =>
        profile.Products.All.SelectMany(product => product.ProfileWorkloads);

    private async Task<(KubeVersion? Version, string? Problem)> ReadClientVersion(TimeSpan timeout, CancellationToken cancellationToken)
    {
        string? output;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            output = await kubectl(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"kubectl version did not answer within {timeout} (timeouts.default)");
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            return (null, e.Message);
        }

        if (output is null)
        {
            return (null, "kubectl is not on PATH");
        }

        var version = KubectlClientVersion.Parse(output);
        return version is null ? (null, "kubectl version output was not understood") : (version, null);
    }

    private async Task<WorkloadInfo> ReadWorkload(string ns, ProfileWorkload workload, CancellationToken cancellationToken)
    {
        var what = $"{workload.Kind} {ns}/{workload.Name}";
        (V1PodTemplateSpec Template, V1LabelSelector Selector, int? Desired, int? Ready)? found = workload.Kind switch
        {
            WorkloadKind.StatefulSet => await ReadOrNull(what, async () =>
            {
                var sts = await client.AppsV1.ReadNamespacedStatefulSetAsync(workload.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                return (sts.Spec.Template, sts.Spec.Selector, sts.Spec.Replicas, sts.Status?.ReadyReplicas);
            }).ConfigureAwait(false),
            _ => await ReadOrNull(what, async () =>
            {
                var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync(workload.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                return (deployment.Spec.Template, deployment.Spec.Selector, deployment.Spec.Replicas, deployment.Status?.ReadyReplicas);
            }).ConfigureAwait(false),
        };

        if (found is not { } w)
        {
            var state = workload.Optional ? WorkloadPresence.Absent : WorkloadPresence.Missing;
            return new WorkloadInfo(ns, workload.Name, workload.Kind, state, workload.Replicas, null, null, [], []);
        }

        var images = (w.Template.Spec.InitContainers ?? []).Select(c => new ContainerImage(c.Name, c.Image, Init: true))
            .Concat((w.Template.Spec.Containers ?? []).Select(c => new ContainerImage(c.Name, c.Image, Init: false)))
            .ToList();
        var pods = await ReadPods(ns, w.Selector, what, cancellationToken).ConfigureAwait(false);
        return new WorkloadInfo(ns, workload.Name, workload.Kind, WorkloadPresence.Present, workload.Replicas, w.Desired, w.Ready ?? 0, images, pods);
    }

    private async Task<IReadOnlyList<PodPlacement>> ReadPods(string ns, V1LabelSelector? selector, string what, CancellationToken cancellationToken)
    {
        var labels = selector?.MatchLabels;
        if (labels is null || labels.Count == 0)
        {
            // An empty selector would list every pod of the namespace: better to show none.
            return [];
        }

        var labelSelector = string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
        var list = await Query($"GET pods of {what} ({labelSelector})",
            () => client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: labelSelector, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return list.Items
            .OrderBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .Select(p => new PodPlacement(
                p.Metadata.Name,
                p.Spec?.NodeName,
                p.Status?.Phase ?? "Unknown",
                p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true))
            .ToList();
    }

    private static async Task<T?> ReadOrNull<T>(string what, Func<Task<T>> read) where T : struct
    {
        try
        {
            return await Query($"GET {what}", read).ConfigureAwait(false);
        }
        catch (ClusterQueryException e) when (e.InnerException is HttpOperationException { Response.StatusCode: HttpStatusCode.NotFound })
        {
            return null;
        }
    }

    private static async Task<T> Query<T>(string what, Func<Task<T>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            var status = e.Response?.StatusCode is { } code ? $"{(int)code} {code}" : "an error";
            throw new ClusterQueryException($"The cluster API answered {status} to {what}", e);
        }
        catch (HttpRequestException e)
        {
            throw new ClusterQueryException($"The cluster API could not be reached for {what}: {e.Message}", e);
        }
    }
}

using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeRunbooks.Kubernetes.Inspection;
using KubeRunbooks.Kubernetes.Watching;

namespace KubeRunbooks.Kubernetes.Workloads;

/// <summary>
/// A new rollout of a workload and its pods found by label, for procedures written as <c>oc rollout latest
/// dc/NAME</c> and <c>oc get pods -l LABEL -o json | jq '.items[0]'</c>. A DeploymentConfig gets a new version by
/// raising <c>status.latestVersion</c> (what <c>oc rollout latest</c> asks for; the API's <c>instantiate</c> does the
/// same), a Deployment or StatefulSet a <c>kubectl rollout restart</c>. The rollout counts as done when exactly the
/// workload's replicas run, all ready, none being deleted, and all of the new revision (a DeploymentConfig's version
/// label, a Deployment's current ReplicaSet's <c>pod-template-hash</c>, a StatefulSet's update revision), so that the
/// pod returned is never one of the old revision still listed. A restart that changes nothing (the generation does not
/// move) or ends on the revision the pods ran before (the template put back) raises <see cref="RolloutUnchangedException"/>
/// instead of returning an old pod.
/// </summary>
public sealed class WorkloadRollout
{
    private const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    private const string TemplateHashLabel = "pod-template-hash";
    private const string ControllerRevisionLabel = "controller-revision-hash";

    private readonly IKubernetes _client;
    private readonly DeploymentConfigApi? _deploymentConfigs;
    private readonly WorkloadOperations _workloads;
    private readonly Action<string> _log;

    /// <summary>Creates the rollout over a client.</summary>
    /// <param name="client">The Kubernetes client.</param>
    /// <param name="deploymentConfigs">Where the cluster serves DeploymentConfigs, or null to look for Deployments and StatefulSets only.</param>
    /// <param name="log">Where progress lines go.</param>
    public WorkloadRollout(IKubernetes client, DeploymentConfigApi? deploymentConfigs = null, Action<string>? log = null)
    {
        _client = client;
        _deploymentConfigs = deploymentConfigs;
        _log = log ?? (_ => { });
        _workloads = new WorkloadOperations(client, _log);
    }

    /// <summary>
    /// Finds the workload by name: a DeploymentConfig when the cluster serves one of that name, else a Deployment,
    /// else a StatefulSet; null when none exists.
    /// </summary>
    public async Task<WorkloadRef?> FindAsync(string ns, string name, CancellationToken cancellationToken = default)
    {
        if (_deploymentConfigs is not null && await TryGetDeploymentConfigAsync(ns, name, cancellationToken).ConfigureAwait(false) is not null)
            return WorkloadRef.DeploymentConfig(ns, name);
        foreach (var candidate in new[] { WorkloadRef.Deployment(ns, name), WorkloadRef.StatefulSet(ns, name) })
        {
            if (await _workloads.TryGetAsync(candidate, cancellationToken).ConfigureAwait(false) is not null) return candidate;
        }
        return null;
    }

    /// <summary>Starts a new rollout and waits until it is done (see the class summary).</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="podSelector">The label selector of its pods (e.g. <c>deploymentConfig=NAME</c>).</param>
    /// <param name="timeout">How long the rollout may take.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A ready pod of the new rollout.</returns>
    /// <exception cref="WaitTimeoutException">The rollout was not done in time.</exception>
    /// <exception cref="WorkloadNotFoundException">The workload does not exist.</exception>
    /// <exception cref="RolloutUnchangedException">The restart rolled out no new revision.</exception>
    public async Task<V1Pod> RolloutLatestAsync(WorkloadRef workload, string podSelector, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        int replicas;
        (string Label, string Value) revision;
        if (workload.Kind == WorkloadKind.DeploymentConfig)
        {
            var (api, latest, count) = await InstantiateAsync(workload, cancellationToken).ConfigureAwait(false);
            revision = (api.VersionLabel, $"{workload.Name}-{latest.ToString(CultureInfo.InvariantCulture)}");
            replicas = count;
        }
        else
        {
            var before = await _workloads.GetAsync(workload, cancellationToken).ConfigureAwait(false);
            replicas = before.DesiredReplicas;
            var revisionBefore = await TryCurrentRevisionAsync(workload, cancellationToken).ConfigureAwait(false);
            await _workloads.RolloutRestartAsync(workload, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
            // Guard: the pods waited for must be of a revision this restart made, never the old ones still listed.
            var generation = (await _workloads.GetAsync(workload, cancellationToken).ConfigureAwait(false)).Generation;
            if (generation <= before.Generation)
                throw new RolloutUnchangedException($"The restart of {workload} changed nothing (generation {before.Generation} before and after): no new revision rolls out.");
            await _workloads.WaitForRolloutAsync(workload, timeout, cancellationToken).ConfigureAwait(false);
            revision = await CurrentRevisionAsync(workload, cancellationToken).ConfigureAwait(false);
            if (revision == revisionBefore)
                throw new RolloutUnchangedException($"The restart of {workload} rolled out no new revision: its pods are still of {revision.Label}={revision.Value} (was its pod template put back by someone else?).");
        }

        var what = $"{workload} to run {replicas} ready pods of revision {revision.Label}={revision.Value} ({podSelector}) and no old one";
        var pods = await PodLoop(workload.Namespace, podSelector).WaitAsync(
            p => p.Count == replicas && p.Values.All(pod => IsServing(pod) && Label(pod, revision.Label) == revision.Value),
            what, timeout, Describe, cancellationToken).ConfigureAwait(false);
        _log($"{workload} rolled out ({revision.Label}={revision.Value}): {string.Join(", ", pods.Keys.Order(StringComparer.Ordinal))}.");
        return pods.Values.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).First();
    }

    /// <summary>The first running, ready pod of <paramref name="podSelector"/> not being deleted (the seed's <c>.items[0]</c>).</summary>
    /// <exception cref="WorkloadNotFoundException">No such pod runs.</exception>
    public async Task<V1Pod> FindPodAsync(string ns, string podSelector, CancellationToken cancellationToken = default)
    {
        var pods = await _client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: podSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
        return pods.Items.Where(IsServing).OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).FirstOrDefault()
            ?? throw new WorkloadNotFoundException($"No running, ready pod in {ns} has the labels {podSelector}" +
                (pods.Items.Count == 0 ? "." : $" ({string.Join("; ", pods.Items.Select(p => $"{p.Metadata.Name} {PodReadiness.Problem(p) ?? "is being deleted"}"))})."));
    }

    /// <summary>Waits by watch until a pod of <paramref name="podSelector"/> runs, ready and not being deleted, and returns the first (by name).</summary>
    /// <exception cref="WaitTimeoutException">None did within <paramref name="timeout"/>.</exception>
    public async Task<V1Pod> WaitForPodAsync(string ns, string podSelector, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var pods = await PodLoop(ns, podSelector).WaitAsync(p => p.Values.Any(IsServing), $"a running, ready pod in {ns} with the labels {podSelector}",
            timeout, Describe, cancellationToken).ConfigureAwait(false);
        return pods.Values.Where(IsServing).OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).First();
    }

    // oc rollout latest: the next version is latestVersion + 1, sent with the resourceVersion read, so a concurrent
    // rollout is a conflict (retried on what is there now), never two versions at once.
    private async Task<(DeploymentConfigApi Api, long Latest, int Replicas)> InstantiateAsync(WorkloadRef workload, CancellationToken cancellationToken)
    {
        var api = _deploymentConfigs ?? throw new WorkloadNotFoundException($"{workload}: this rollout was given no DeploymentConfig API.");
        for (var attempt = 1; ; attempt++)
        {
            var dc = await TryGetDeploymentConfigAsync(workload.Namespace, workload.Name, cancellationToken).ConfigureAwait(false)
                ?? throw new WorkloadNotFoundException($"{workload} does not exist.");
            var latest = (long?)dc["status"]?["latestVersion"] ?? 0;
            var replicas = (int?)dc["spec"]?["replicas"] ?? 1;
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["resourceVersion"] = (string?)dc["metadata"]?["resourceVersion"] },
                ["status"] = new JsonObject { ["latestVersion"] = latest + 1 },
            };
            try
            {
                _log($"Rolling out {workload}: version {latest + 1} (oc rollout latest).");
                await _client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
                    api.Group, api.Version, workload.Namespace, api.Plural, workload.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
                return (api, latest + 1, replicas);
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Conflict && attempt < 5)
            {
                // Changed in between (a controller's status write): read it again.
            }
        }
    }

    // Before a restart: the current revision, or null when none can be told yet (a workload that never rolled out).
    private async Task<(string Label, string Value)?> TryCurrentRevisionAsync(WorkloadRef workload, CancellationToken cancellationToken)
    {
        try
        {
            return await CurrentRevisionAsync(workload, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkloadNotFoundException)
        {
            return null;
        }
    }

    // After a finished rollout: the pod label and value of the current revision (what kubectl's rollout status reads).
    private async Task<(string Label, string Value)> CurrentRevisionAsync(WorkloadRef workload, CancellationToken cancellationToken)
    {
        if (workload.Kind == WorkloadKind.StatefulSet)
        {
            var set = await _client.AppsV1.ReadNamespacedStatefulSetAsync(workload.Name, workload.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return (ControllerRevisionLabel, set.Status?.UpdateRevision ?? throw new WorkloadNotFoundException($"{workload} reports no update revision."));
        }
        var deployment = await _client.AppsV1.ReadNamespacedDeploymentAsync(workload.Name, workload.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        var revision = deployment.Metadata.Annotations?.TryGetValue(RevisionAnnotation, out var r) == true ? r : null;
        var sets = await _client.AppsV1.ListNamespacedReplicaSetAsync(workload.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        var current = sets.Items.FirstOrDefault(rs =>
            rs.Metadata.OwnerReferences?.Any(o => o.Uid == deployment.Metadata.Uid && o.Controller == true) == true &&
            rs.Metadata.Annotations?.TryGetValue(RevisionAnnotation, out var v) == true && v == revision);
        return current?.Metadata.Labels?.TryGetValue(TemplateHashLabel, out var hash) == true
            ? (TemplateHashLabel, hash)
            : throw new WorkloadNotFoundException($"{workload} has no ReplicaSet of its revision {revision ?? "(none)"}.");
    }

    private Task<JsonObject?> TryGetDeploymentConfigAsync(string ns, string name, CancellationToken cancellationToken) =>
        new DeploymentConfigObjects(_client, _deploymentConfigs!).TryGetAsync(ns, name, cancellationToken);

    private static bool IsServing(V1Pod pod) => pod.Metadata.DeletionTimestamp is null && PodReadiness.Problem(pod) is null;

    private static string? Label(V1Pod pod, string key) => pod.Metadata.Labels?.TryGetValue(key, out var value) == true ? value : null;

    private static string Describe(IReadOnlyDictionary<string, V1Pod> pods) =>
        pods.Count == 0 ? "no pods" : string.Join("; ", pods.Values.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .Select(p => $"{p.Metadata.Name} {(p.Metadata.DeletionTimestamp is not null ? "being deleted" : PodReadiness.Problem(p) ?? "ready")}"));

    private WatchLoop<V1Pod> PodLoop(string ns, string selector) => new(new WatchSource<V1Pod>(
        async ct =>
        {
            var list = await _client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector, cancellationToken: ct).ConfigureAwait(false);
            return (list.Items.ToList(), list.Metadata?.ResourceVersion);
        },
        (rv, seconds, onError, ct) => _client.CoreV1.WatchListNamespacedPodAsync(ns, allowWatchBookmarks: true, labelSelector: selector,
            resourceVersion: rv, timeoutSeconds: seconds, onError: onError, cancellationToken: ct)));
}

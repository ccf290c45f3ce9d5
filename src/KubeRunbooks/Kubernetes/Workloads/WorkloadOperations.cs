using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeRunbooks.Kubernetes.Watching;

namespace KubeRunbooks.Kubernetes.Workloads;

/// <summary>
/// Reads, scales, re-images and restarts StatefulSets and Deployments, and waits for the result by watch.
/// Product-neutral: every name comes from a <see cref="WorkloadRef"/>.
/// </summary>
public sealed class WorkloadOperations
{
    private readonly IKubernetes _client;
    private readonly Action<string> _log;

    /// <summary>Creates the operations over a client.</summary>
    /// <param name="client">The Kubernetes client.</param>
    /// <param name="log">Where progress lines go; never given secret values.</param>
    public WorkloadOperations(IKubernetes client, Action<string>? log = null)
    {
        _client = client;
        _log = log ?? (_ => { });
    }

    /// <summary>The timeoutSeconds of each watch request (the loop resumes after it).</summary>
    public int WatchTimeoutSeconds { get; init; } = 60;

    /// <summary>Reads the workload, or null when it does not exist (optional workloads are skipped).</summary>
    public async Task<WorkloadState?> TryGetAsync(WorkloadRef workload, CancellationToken cancellationToken = default)
    {
        RequireAppsV1(workload);
        try
        {
            return workload.Kind switch
            {
                WorkloadKind.StatefulSet => WorkloadState.From(await _client.AppsV1.ReadNamespacedStatefulSetAsync(workload.Name, workload.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false)),
                _ => WorkloadState.From(await _client.AppsV1.ReadNamespacedDeploymentAsync(workload.Name, workload.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false)),
            };
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Reads the workload; raises <see cref="WorkloadNotFoundException"/> when it does not exist.</summary>
    public async Task<WorkloadState> GetAsync(WorkloadRef workload, CancellationToken cancellationToken = default) =>
        await TryGetAsync(workload, cancellationToken).ConfigureAwait(false)
        ?? throw new WorkloadNotFoundException($"{workload} does not exist.");

    /// <summary>The workload's desired replicas (spec.replicas).</summary>
    public async Task<int> GetReplicasAsync(WorkloadRef workload, CancellationToken cancellationToken = default) =>
        (await GetAsync(workload, cancellationToken).ConfigureAwait(false)).DesiredReplicas;

    /// <summary>The image of a named container (or init container) of the pod template.</summary>
    public async Task<ImageReference> GetContainerImageAsync(WorkloadRef workload, string container, CancellationToken cancellationToken = default)
    {
        var state = await GetAsync(workload, cancellationToken).ConfigureAwait(false);
        return FindImage(state, container, out _);
    }

    /// <summary>Sets spec.replicas through the scale subresource (merge patch).</summary>
    public async Task ScaleAsync(WorkloadRef workload, int replicas, CancellationToken cancellationToken = default)
    {
        RequireAppsV1(workload);
        var patch = new V1Patch(WorkloadPatches.Scale(replicas), V1Patch.PatchType.MergePatch);
        _log($"Scaling {workload} to {replicas}.");
        try
        {
            if (workload.Kind == WorkloadKind.StatefulSet)
                await _client.AppsV1.PatchNamespacedStatefulSetScaleAsync(patch, workload.Name, workload.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            else
                await _client.AppsV1.PatchNamespacedDeploymentScaleAsync(patch, workload.Name, workload.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            throw new WorkloadNotFoundException($"{workload} does not exist.");
        }
    }

    /// <summary>Scales, then waits by watch until the pods match (see <see cref="WaitForReplicasAsync"/>).</summary>
    public async Task ScaleAndWaitAsync(WorkloadRef workload, int replicas, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await ScaleAsync(workload, replicas, cancellationToken).ConfigureAwait(false);
        await WaitForReplicasAsync(workload, replicas, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits by watch: for 0, until no pod of the workload's selector exists; for N, until the controller has
    /// observed the current generation and N pods exist and are ready. Raises <see cref="WaitTimeoutException"/>
    /// naming the workload and the count.
    /// </summary>
    public async Task WaitForReplicasAsync(WorkloadRef workload, int replicas, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        if (replicas == 0)
        {
            var state = await GetAsync(workload, cancellationToken).ConfigureAwait(false);
            if (state.SelectorLabels.Count == 0) throw new WorkloadNotFoundException($"{workload} has no selector labels; its pods cannot be found.");
            var pods = new WatchLoop<V1Pod>(PodSource(workload.Namespace, state.PodSelector)) { WatchTimeoutSeconds = WatchTimeoutSeconds };
            await pods.WaitAsync(p => p.Count == 0, $"{workload} to have no pods", timeout,
                p => $"{p.Count} pods: {string.Join(", ", p.Keys.Order(StringComparer.Ordinal))}", cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await WatchWorkloadAsync(workload, s => s.HasReadyReplicas(replicas), $"{workload} to have {replicas} ready replicas", timeout, cancellationToken).ConfigureAwait(false);
        }
        _log($"{workload} has {replicas} ready replicas.");
    }

    /// <summary>Sets the tag of a named container's image (strategic merge patch); returns the image it had before.</summary>
    public async Task<ImageReference> SetImageTagAsync(WorkloadRef workload, string container, string tag, CancellationToken cancellationToken = default)
    {
        var state = await GetAsync(workload, cancellationToken).ConfigureAwait(false);
        var previous = FindImage(state, container, out var isInit);
        var next = previous.WithTag(tag);
        _log($"Setting image of container {container} of {workload}: {previous} -> {next}.");
        await PatchAsync(workload, WorkloadPatches.ContainerImage(container, next.ToString(), isInit), V1Patch.PatchType.StrategicMergePatch, cancellationToken).ConfigureAwait(false);
        return previous;
    }

    /// <summary>
    /// Sets the tag of every container and init container whose image is in <paramref name="repository"/>, in one
    /// patch; returns the images they had (empty when none uses the repository or all have the tag already, and then
    /// nothing is sent).
    /// </summary>
    public async Task<IReadOnlyList<(string Container, ImageReference Previous)>> SetRepositoryTagAsync(WorkloadRef workload, string repository, string tag, CancellationToken cancellationToken = default)
    {
        var state = await GetAsync(workload, cancellationToken).ConfigureAwait(false);
        var changes = state.Containers.Select(c => (Container: c, Init: false))
            .Concat(state.InitContainers.Select(c => (Container: c, Init: true)))
            .Where(c => !string.IsNullOrWhiteSpace(c.Container.Image) && ImageReference.Parse(c.Container.Image) is var image
                && image.Repository == repository && (image.Tag != tag || image.Digest is not null))
            .Select(c => (c.Container.Name, Previous: ImageReference.Parse(c.Container.Image), c.Init))
            .ToList();
        if (changes.Count == 0) return [];
        var next = changes.Select(c => (c.Name, c.Previous.WithTag(tag).ToString(), c.Init)).ToList();
        _log($"Setting the image of {workload} to {repository}:{tag} ({string.Join(", ", changes.Select(c => (c.Init ? "init container " : "container ") + c.Name))}).");
        await PatchAsync(workload, WorkloadPatches.ContainerImages(next), V1Patch.PatchType.StrategicMergePatch, cancellationToken).ConfigureAwait(false);
        return changes.Select(c => (c.Name, c.Previous)).ToList();
    }

    /// <summary>
    /// What <c>kubectl rollout restart</c> does: stamps the pod template with restartedAt = now, to the second. A second
    /// restart within the same second would write the same stamp, change nothing and roll nothing out (kubectl has
    /// that flaw), so when the template already carries a stamp at or after <paramref name="now"/>, the stamp written
    /// is one second after it.
    /// </summary>
    /// <returns>The stamp written.</returns>
    public async Task<DateTimeOffset> RolloutRestartAsync(WorkloadRef workload, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var stamp = WorkloadPatches.NextRestartStamp(await TemplateAnnotationAsync(workload, WorkloadPatches.RestartedAtAnnotation, cancellationToken).ConfigureAwait(false), now);
        _log($"Restarting {workload} (restartedAt {WorkloadPatches.Rfc3339(stamp)}).");
        await PatchAsync(workload, WorkloadPatches.RolloutRestart(stamp), V1Patch.PatchType.StrategicMergePatch, cancellationToken).ConfigureAwait(false);
        return stamp;
    }

    private async Task<string?> TemplateAnnotationAsync(WorkloadRef workload, string key, CancellationToken cancellationToken)
    {
        RequireAppsV1(workload);
        try
        {
            var template = workload.Kind == WorkloadKind.StatefulSet
                ? (await _client.AppsV1.ReadNamespacedStatefulSetAsync(workload.Name, workload.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false)).Spec?.Template
                : (await _client.AppsV1.ReadNamespacedDeploymentAsync(workload.Name, workload.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false)).Spec?.Template;
            return template?.Metadata?.Annotations?.TryGetValue(key, out var value) == true ? value : null;
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            throw new WorkloadNotFoundException($"{workload} does not exist.");
        }
    }

    /// <summary>Waits by watch until the rollout is complete by kubectl's rules (<see cref="RolloutStatus"/>).</summary>
    public async Task WaitForRolloutAsync(WorkloadRef workload, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        RequireAppsV1(workload);
        string? lastMessage = null;
        bool Done(RolloutState state)
        {
            if (state.Message != lastMessage) { lastMessage = state.Message; _log(state.Message); }
            return state.Done;
        }
        var what = $"{workload} to finish its rollout";
        if (workload.Kind == WorkloadKind.StatefulSet)
        {
            var loop = new WatchLoop<V1StatefulSet>(StatefulSetSource(workload)) { WatchTimeoutSeconds = WatchTimeoutSeconds };
            await loop.WaitAsync(o => o.TryGetValue(workload.Name, out var s) && Done(RolloutStatus.Of(s)), what, timeout, _ => lastMessage ?? "not found", cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var loop = new WatchLoop<V1Deployment>(DeploymentSource(workload)) { WatchTimeoutSeconds = WatchTimeoutSeconds };
            await loop.WaitAsync(o => o.TryGetValue(workload.Name, out var d) && Done(RolloutStatus.Of(d)), what, timeout, _ => lastMessage ?? "not found", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits by watch until a condition on the workload's state holds.</summary>
    public async Task<WorkloadState> WatchWorkloadAsync(WorkloadRef workload, Func<WorkloadState, bool> condition, string what, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        RequireAppsV1(workload);
        WorkloadState? last = null;
        bool Check(WorkloadState s) { last = s; return condition(s); }
        string Describe() => last?.Describe() ?? "not found";
        if (workload.Kind == WorkloadKind.StatefulSet)
        {
            var loop = new WatchLoop<V1StatefulSet>(StatefulSetSource(workload)) { WatchTimeoutSeconds = WatchTimeoutSeconds };
            await loop.WaitAsync(o => o.TryGetValue(workload.Name, out var s) && Check(WorkloadState.From(s)), what, timeout, _ => Describe(), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var loop = new WatchLoop<V1Deployment>(DeploymentSource(workload)) { WatchTimeoutSeconds = WatchTimeoutSeconds };
            await loop.WaitAsync(o => o.TryGetValue(workload.Name, out var d) && Check(WorkloadState.From(d)), what, timeout, _ => Describe(), cancellationToken).ConfigureAwait(false);
        }
        return last!;
    }

    /// <summary>Sends a merge patch of the workload's metadata (annotations, labels).</summary>
    public Task PatchMetadataAsync(WorkloadRef workload, string mergePatch, CancellationToken cancellationToken = default) =>
        PatchAsync(workload, new V1Patch(mergePatch, V1Patch.PatchType.MergePatch), cancellationToken);

    private Task PatchAsync(WorkloadRef workload, string body, V1Patch.PatchType patchType, CancellationToken cancellationToken) =>
        PatchAsync(workload, new V1Patch(body, patchType), cancellationToken);

    private async Task PatchAsync(WorkloadRef workload, V1Patch patch, CancellationToken cancellationToken)
    {
        RequireAppsV1(workload);
        try
        {
            if (workload.Kind == WorkloadKind.StatefulSet)
                await _client.AppsV1.PatchNamespacedStatefulSetAsync(patch, workload.Name, workload.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            else
                await _client.AppsV1.PatchNamespacedDeploymentAsync(patch, workload.Name, workload.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            throw new WorkloadNotFoundException($"{workload} does not exist.");
        }
    }

    // A DeploymentConfig is not an apps/v1 object: reading it as a Deployment would name the wrong object.
    private static void RequireAppsV1(WorkloadRef workload)
    {
        if (workload.Kind is not (WorkloadKind.StatefulSet or WorkloadKind.Deployment))
            throw new NotSupportedException($"{workload}: only StatefulSets and Deployments are read, scaled and patched here; roll a DeploymentConfig out with {nameof(WorkloadRollout)}.");
    }

    internal static ImageReference FindImage(WorkloadState state, string container, out bool isInit)
    {
        var main = state.Containers.FirstOrDefault(c => c.Name == container);
        var init = main is null ? state.InitContainers.FirstOrDefault(c => c.Name == container) : null;
        isInit = init is not null;
        var found = main ?? init ?? throw new WorkloadNotFoundException($"{state.Ref} has no container named {container}.");
        if (string.IsNullOrWhiteSpace(found.Image)) throw new WorkloadNotFoundException($"Container {container} of {state.Ref} has no image.");
        return ImageReference.Parse(found.Image);
    }

    private WatchSource<V1Pod> PodSource(string ns, string selector) => new(
        async ct =>
        {
            var list = await _client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector, cancellationToken: ct).ConfigureAwait(false);
            return (list.Items.ToList(), list.Metadata?.ResourceVersion);
        },
        (rv, seconds, onError, ct) => _client.CoreV1.WatchListNamespacedPodAsync(ns, allowWatchBookmarks: true, labelSelector: selector,
            resourceVersion: rv, timeoutSeconds: seconds, onError: onError, cancellationToken: ct));

    private WatchSource<V1StatefulSet> StatefulSetSource(WorkloadRef w)
    {
        var field = $"metadata.name={w.Name}";
        return new(
            async ct =>
            {
                var list = await _client.AppsV1.ListNamespacedStatefulSetAsync(w.Namespace, fieldSelector: field, cancellationToken: ct).ConfigureAwait(false);
                return (list.Items.ToList(), list.Metadata?.ResourceVersion);
            },
            (rv, seconds, onError, ct) => _client.AppsV1.WatchListNamespacedStatefulSetAsync(w.Namespace, allowWatchBookmarks: true, fieldSelector: field,
                resourceVersion: rv, timeoutSeconds: seconds, onError: onError, cancellationToken: ct));
    }

    private WatchSource<V1Deployment> DeploymentSource(WorkloadRef w)
    {
        var field = $"metadata.name={w.Name}";
        return new(
            async ct =>
            {
                var list = await _client.AppsV1.ListNamespacedDeploymentAsync(w.Namespace, fieldSelector: field, cancellationToken: ct).ConfigureAwait(false);
                return (list.Items.ToList(), list.Metadata?.ResourceVersion);
            },
            (rv, seconds, onError, ct) => _client.AppsV1.WatchListNamespacedDeploymentAsync(w.Namespace, allowWatchBookmarks: true, fieldSelector: field,
                resourceVersion: rv, timeoutSeconds: seconds, onError: onError, cancellationToken: ct));
    }
}

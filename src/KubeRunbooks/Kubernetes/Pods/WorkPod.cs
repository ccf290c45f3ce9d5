using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeRunbooks.Kubernetes.Watching;

namespace KubeRunbooks.Kubernetes.Pods;

/// <summary>
/// A pod a runbook creates for its own work (a maintenance or tool pod from a procedure's manifest): created, waited
/// for until Ready, and deleted again, waiting until it is gone. It carries <see cref="Label"/> so a pod left by a
/// killed run is recognised and replaced, while a pod of the same name someone else made is never touched.
/// </summary>
public sealed class WorkPod
{
    /// <summary>The label this tool sets on the pods it creates (value <see cref="LabelValue"/>).</summary>
    public const string Label = "app.kubernetes.io/managed-by";

    /// <summary>The value of <see cref="Label"/>.</summary>
    public const string LabelValue = "kuberunbooks";

    private readonly IKubernetes _client;

    /// <summary>Over a client.</summary>
    public WorkPod(IKubernetes client) => _client = client;

    /// <summary>The manifest with <see cref="Label"/> added (a copy; the rest unchanged).</summary>
    public static V1Pod Marked(V1Pod manifest)
    {
        var copy = KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(manifest));
        copy.Metadata.Labels = new Dictionary<string, string>(copy.Metadata.Labels ?? new Dictionary<string, string>()) { [Label] = LabelValue };
        return copy;
    }

    /// <summary>What is at the pod's name now: nothing, a pod of this tool (a leftover), or someone else's.</summary>
    public async Task<WorkPodPresence> PresenceAsync(string ns, string name, CancellationToken cancellationToken = default)
    {
        var existing = await TryReadAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (existing is null) return WorkPodPresence.Absent;
        return existing.Metadata.Labels?.TryGetValue(Label, out var value) == true && value == LabelValue ? WorkPodPresence.Ours : WorkPodPresence.Foreign;
    }

    /// <summary>
    /// Creates the pod (a leftover of this tool under its name deleted first) and waits until it is Ready; when it is
    /// not Ready in time it is deleted and <see cref="WaitTimeoutException"/> is thrown.
    /// </summary>
    /// <param name="manifest">The pod (<see cref="Label"/> is added).</param>
    /// <param name="timeout">How long it may take to become Ready, and to go away.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="InvalidOperationException">A pod of that name exists that this tool did not create.</exception>
    public async Task StartAsync(V1Pod manifest, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var ns = manifest.Metadata.NamespaceProperty;
        var name = manifest.Metadata.Name;
        switch (await PresenceAsync(ns, name, cancellationToken).ConfigureAwait(false))
        {
            case WorkPodPresence.Foreign:
                throw new InvalidOperationException($"Pod {ns}/{name} exists and was not created by this tool.");
            case WorkPodPresence.Ours:
                await DeleteAsync(ns, name, timeout).ConfigureAwait(false);
                break;
        }
        await _client.CoreV1.CreateNamespacedPodAsync(Marked(manifest), ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            await WaitAsync(ns, name, pods => pods.TryGetValue(name, out var p) && IsReady(p), $"pod {ns}/{name} to be Ready", timeout, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await DeleteAsync(ns, name, timeout).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Deletes the pod when it exists and waits until it is gone (not cancellable: it must go also when the run was cancelled).</summary>
    /// <returns>True when a pod was deleted.</returns>
    public async Task<bool> DeleteAsync(string ns, string name, TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await _client.CoreV1.DeleteNamespacedPodAsync(name, ns, gracePeriodSeconds: 0, cancellationToken: limit.Token).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        await WaitAsync(ns, name, pods => !pods.ContainsKey(name), $"pod {ns}/{name} to be deleted", timeout, limit.Token).ConfigureAwait(false);
        return true;
    }

    /// <summary>True when the pod's Ready condition is True.</summary>
    public static bool IsReady(V1Pod pod) => pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private async Task<V1Pod?> TryReadAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private Task WaitAsync(string ns, string name, Func<IReadOnlyDictionary<string, V1Pod>, bool> done, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var field = $"metadata.name={name}";
        var source = new WatchSource<V1Pod>(
            async ct =>
            {
                var list = await _client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: field, cancellationToken: ct).ConfigureAwait(false);
                return (list.Items.ToList(), list.Metadata?.ResourceVersion);
            },
            (rv, seconds, onError, ct) => _client.CoreV1.WatchListNamespacedPodAsync(ns, allowWatchBookmarks: true, fieldSelector: field,
                resourceVersion: rv, timeoutSeconds: seconds, onError: onError, cancellationToken: ct));
        return new WatchLoop<V1Pod>(source).WaitAsync(done, what, timeout, cancellationToken: cancellationToken);
    }
}

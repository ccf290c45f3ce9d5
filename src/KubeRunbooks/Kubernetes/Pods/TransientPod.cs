using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Kubernetes.Watching;

namespace KubeRunbooks.Kubernetes.Pods;

/// <summary>
/// The one life of a pod a runbook creates for its own work (a helper on a volume, a restore server, a node debug pod,
/// a procedure's maintenance pod): created from a manifest labelled with its purpose, waited for until Ready, deleted
/// and waited for until gone (also after a failure). A pod of the same name and purpose left by a killed run is deleted
/// first; a pod of that name someone else made is never touched. Within one step the handle deletes the pod on
/// dispose; a pod that lives across steps is started with <see cref="StartAsync"/> in one and removed with
/// <see cref="DeleteAsync"/> in another.
/// </summary>
public sealed class TransientPod : IAsyncDisposable
{
    /// <summary>The label that marks the pods this tool creates (value: what the pod is for).</summary>
    public const string Label = "kuberunbooks.io/transient";

    private readonly IKubernetes _client;
    private readonly string _purpose;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan? _gracePeriod;

    private TransientPod(IKubernetes client, string ns, string name, string container, string purpose, TimeSpan timeout, TimeSpan? gracePeriod)
    {
        _client = client;
        Namespace = ns;
        Name = name;
        Container = new PodContainer(ns, name, container);
        _purpose = purpose;
        _timeout = timeout;
        _gracePeriod = gracePeriod;
    }

    /// <summary>The pod's namespace.</summary>
    public string Namespace { get; }

    /// <summary>The pod's name.</summary>
    public string Name { get; }

    /// <summary>Its (first) container, where commands run.</summary>
    public PodContainer Container { get; }

    /// <summary>A copy of <paramref name="manifest"/> with <see cref="Label"/>=<paramref name="purpose"/>: the pod as it is created (and listed by a dry run).</summary>
    public static V1Pod Labelled(V1Pod manifest, string purpose)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentException.ThrowIfNullOrWhiteSpace(purpose);
        var copy = KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(manifest));
        copy.Metadata.Labels = new Dictionary<string, string>(copy.Metadata.Labels ?? new Dictionary<string, string>()) { [Label] = purpose };
        return copy;
    }

    /// <summary>What is at the pod's name now: nothing, this tool's pod for <paramref name="purpose"/>, or another pod.</summary>
    public static async Task<TransientPodPresence> PresenceAsync(IKubernetes client, string ns, string name, string purpose, CancellationToken cancellationToken)
        => Presence(await TryReadAsync(client, ns, name, cancellationToken).ConfigureAwait(false), purpose);

    /// <summary>
    /// Creates <paramref name="manifest"/> (labelled <see cref="Label"/>=<paramref name="purpose"/>) and waits until it is
    /// Ready; a leftover of the same name and purpose is deleted first, one of another origin is refused. When it is not
    /// Ready in time (or the start is cancelled) it is deleted again and the error is rethrown.
    /// </summary>
    /// <param name="client">The cluster.</param>
    /// <param name="manifest">The pod (namespace and name set; its first container is where commands run). Not changed.</param>
    /// <param name="purpose">What the pod is for (the label's value).</param>
    /// <param name="timeout">How long it may take to become Ready, and to go away.</param>
    /// <param name="cancellationToken">Cancels the start (the pod is deleted).</param>
    /// <param name="gracePeriod">
    /// The grace period of its deletion; null keeps the pod's own (a server in it shuts down cleanly), zero for a pod
    /// whose process holds nothing (a shell that sleeps ignores TERM and would hold the deletion for its whole grace).
    /// </param>
    /// <exception cref="InvalidOperationException">A pod of that name exists that this tool did not create for <paramref name="purpose"/>.</exception>
    public static async Task<TransientPod> StartAsync(IKubernetes client, V1Pod manifest, string purpose, TimeSpan timeout, CancellationToken cancellationToken, TimeSpan? gracePeriod = null)
    {
        var labelled = Labelled(manifest, purpose);
        var ns = labelled.Metadata.NamespaceProperty;
        var pod = new TransientPod(client, ns, labelled.Metadata.Name, labelled.Spec.Containers[0].Name, purpose, timeout, gracePeriod);
        await DeleteLeftoverAsync(client, ns, pod.Name, purpose, timeout, cancellationToken, gracePeriod).ConfigureAwait(false);
        try
        {
            await client.CoreV1.CreateNamespacedPodAsync(labelled, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            await Wait(client, ns, pod.Name, pods => pods.TryGetValue(pod.Name, out var p) && WorkloadPods.IsReady(p),
                $"pod {ns}/{pod.Name} to be ready", timeout, cancellationToken).ConfigureAwait(false);
            return pod;
        }
        catch
        {
            await pod.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Deletes the pod <paramref name="name"/> when it exists and carries <see cref="Label"/>=<paramref name="purpose"/>
    /// (a killed run's), and waits until it is gone; one without the label is refused.
    /// </summary>
    /// <exception cref="InvalidOperationException">A pod of that name exists that this tool did not create for <paramref name="purpose"/>.</exception>
    public static async Task DeleteLeftoverAsync(IKubernetes client, string ns, string name, string purpose, TimeSpan timeout, CancellationToken cancellationToken, TimeSpan? gracePeriod = null)
    {
        if (await PresenceAsync(client, ns, name, purpose, cancellationToken).ConfigureAwait(false) == TransientPodPresence.Foreign)
            throw new InvalidOperationException($"Pod {ns}/{name} exists and was not created by this tool for {purpose}: delete it, then run again.");
        await DeleteAsync(client, ns, name, purpose, timeout, gracePeriod).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes this tool's pod <paramref name="name"/> for <paramref name="purpose"/> and waits until it is gone; a pod
    /// of that name of another origin is left as it is. Not cancellable: the pod must go also when the run was cancelled.
    /// </summary>
    /// <returns>What was there: <see cref="TransientPodPresence.Ours"/> when it was deleted.</returns>
    public static async Task<TransientPodPresence> DeleteAsync(IKubernetes client, string ns, string name, string purpose, TimeSpan timeout, TimeSpan? gracePeriod = null)
    {
        using var limit = new CancellationTokenSource(timeout);
        var existing = await TryReadAsync(client, ns, name, limit.Token).ConfigureAwait(false);
        var presence = Presence(existing, purpose);
        if (presence != TransientPodPresence.Ours) return presence;
        try
        {
            // The uid precondition: the pod read above, not one created under its name since.
            var options = new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = existing!.Metadata.Uid } };
            await client.CoreV1.DeleteNamespacedPodAsync(name, ns, options, gracePeriodSeconds: (int?)gracePeriod?.TotalSeconds, cancellationToken: limit.Token).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return presence;
        }
        await Wait(client, ns, name, pods => !pods.ContainsKey(name), $"pod {ns}/{name} to be deleted", timeout, limit.Token).ConfigureAwait(false);
        return presence;
    }

    /// <summary>Deletes the pod (with the grace period it was started with) and waits until it is gone.</summary>
    public async ValueTask DisposeAsync() => await DeleteAsync(_client, Namespace, Name, _purpose, _timeout, _gracePeriod).ConfigureAwait(false);

    private static TransientPodPresence Presence(V1Pod? pod, string purpose) => pod switch
    {
        null => TransientPodPresence.Absent,
        _ when pod.Metadata.Labels?.TryGetValue(Label, out var value) == true && value == purpose => TransientPodPresence.Ours,
        _ => TransientPodPresence.Foreign,
    };

    private static async Task<V1Pod?> TryReadAsync(IKubernetes client, string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static Task Wait(IKubernetes client, string ns, string name, Func<IReadOnlyDictionary<string, V1Pod>, bool> done, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var field = $"metadata.name={name}";
        var source = new WatchSource<V1Pod>(
            async ct =>
            {
                var list = await client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: field, cancellationToken: ct).ConfigureAwait(false);
                return (list.Items.ToList(), list.Metadata?.ResourceVersion);
            },
            (rv, seconds, onError, ct) => client.CoreV1.WatchListNamespacedPodAsync(ns, allowWatchBookmarks: true, fieldSelector: field,
                resourceVersion: rv, timeoutSeconds: seconds, onError: onError, cancellationToken: ct));
        return new WatchLoop<V1Pod>(source).WaitAsync(done, what, timeout, cancellationToken: cancellationToken);
    }
}

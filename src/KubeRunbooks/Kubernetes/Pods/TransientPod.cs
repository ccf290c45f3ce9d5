using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Kubernetes.Watching;

namespace KubeRunbooks.Kubernetes.Pods;

/// <summary>
/// A pod a runbook creates for one step (a helper on a volume, a restore server) and deletes afterwards: created from
/// a manifest, waited for until Ready, deleted on dispose and waited for until gone (also after a failure). A pod of
/// the same name left by a killed run is deleted first, if it carries this tool's label.
/// </summary>
public sealed class TransientPod : IAsyncDisposable
{
    /// <summary>The label that marks the pods this tool creates (value: what the pod is for).</summary>
    public const string Label = "kuberunbooks.io/transient";

    private readonly IKubernetes _client;
    private readonly TimeSpan _timeout;

    private TransientPod(IKubernetes client, string ns, string name, string container, TimeSpan timeout)
    {
        _client = client;
        Namespace = ns;
        Name = name;
        Container = new PodContainer(ns, name, container);
        _timeout = timeout;
    }

    /// <summary>The pod's namespace.</summary>
    public string Namespace { get; }

    /// <summary>The pod's name.</summary>
    public string Name { get; }

    /// <summary>Its (first) container, where commands run.</summary>
    public PodContainer Container { get; }

    /// <summary>
    /// Creates <paramref name="manifest"/> (labelled <see cref="Label"/>=<paramref name="purpose"/>) and waits until it is
    /// Ready; a leftover of the same name and purpose is deleted first, one of another origin is refused.
    /// </summary>
    /// <param name="client">The cluster.</param>
    /// <param name="manifest">The pod (namespace and name set; its first container is where commands run).</param>
    /// <param name="purpose">What the pod is for (the label's value).</param>
    /// <param name="timeout">How long it may take to become Ready, and to go away.</param>
    /// <param name="cancellationToken">Cancels the start (the pod is deleted).</param>
    public static async Task<TransientPod> StartAsync(IKubernetes client, V1Pod manifest, string purpose, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var ns = manifest.Metadata.NamespaceProperty;
        var pod = new TransientPod(client, ns, manifest.Metadata.Name, manifest.Spec.Containers[0].Name, timeout);
        await DeleteLeftoverAsync(client, ns, pod.Name, purpose, timeout, cancellationToken).ConfigureAwait(false);
        manifest.Metadata.Labels ??= new Dictionary<string, string>();
        manifest.Metadata.Labels[Label] = purpose;
        try
        {
            await client.CoreV1.CreateNamespacedPodAsync(manifest, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
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
    public static async Task DeleteLeftoverAsync(IKubernetes client, string ns, string name, string purpose, TimeSpan timeout, CancellationToken cancellationToken)
    {
        V1Pod existing;
        try
        {
            existing = await client.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return;
        }
        if (existing.Metadata.Labels?.TryGetValue(Label, out var value) != true || value != purpose)
            throw new InvalidOperationException($"Pod {ns}/{name} exists and was not created by this tool for {purpose}: delete it, then run again.");
        await new TransientPod(client, ns, name, "", timeout).DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Deletes the pod (its grace period lets a server shut down cleanly) and waits until it is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        // Not the caller's token: the pod must go also when the run was cancelled.
        using var timeout = new CancellationTokenSource(_timeout);
        try
        {
            await _client.CoreV1.DeleteNamespacedPodAsync(Name, Namespace, cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return;
        }
        await Wait(_client, Namespace, Name, pods => !pods.ContainsKey(Name), $"pod {Namespace}/{Name} to be deleted", _timeout, timeout.Token).ConfigureAwait(false);
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

using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeRunbooks.Errors;
using KubeRunbooks.HostFiles;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Kubernetes.Watching;

namespace KubeRunbooks.Kubernetes.Nodes;

/// <summary>
/// A privileged pod on one node with the node's filesystem (hostPath <c>/</c>) mounted at <see cref="HostRoot"/>:
/// what <c>oc debug node/NAME</c> creates. Named <c>NODE-debug</c> as <c>oc debug</c> names it; one left by a killed
/// run is replaced. Disposing deletes it (call it in a <c>finally</c>, so a failure deletes it too).
/// </summary>
public sealed class NodeDebugPod : IAsyncDisposable
{
    /// <summary>Where the node's filesystem is mounted in the pod.</summary>
    public const string HostRoot = "/host";

    /// <summary>The label that marks the pods this tool creates (value: the node name).</summary>
    public const string Label = "kuberunbooks.io/node-debug";

    private const string Container = "debug";
    private readonly IKubernetes _client;
    private readonly TimeSpan _timeout;

    private NodeDebugPod(IKubernetes client, string ns, string name, string node, TimeSpan timeout)
    {
        _client = client;
        Namespace = ns;
        Name = name;
        Node = node;
        _timeout = timeout;
    }

    /// <summary>The pod's namespace.</summary>
    public string Namespace { get; }

    /// <summary>The pod's name.</summary>
    public string Name { get; }

    /// <summary>The node it runs on.</summary>
    public string Node { get; }

    /// <summary>The pod name used for a node.</summary>
    public static string NameFor(string node) => node.Replace('.', '-').Replace(':', '-') is var n && n.Length > 57 ? n[..57] + "-debug" : n + "-debug";

    /// <summary>Commands run in the pod against the node's filesystem.</summary>
    public IHostCommands Commands => new PodHostCommands(new PodExec(_client), Namespace, Name, Container, HostRoot, Node);

    /// <summary>Checks that the node exists, creates the pod on it and waits until it runs.</summary>
    /// <param name="client">The cluster.</param>
    /// <param name="node">The node name.</param>
    /// <param name="ns">The namespace the pod is created in.</param>
    /// <param name="image">The image (it needs <c>sh</c> and <c>tar</c>).</param>
    /// <param name="timeout">How long the pod may take to run, and to go away.</param>
    /// <param name="cancellationToken">Cancels the start (the pod is deleted).</param>
    /// <exception cref="InvalidInputException">The node does not exist.</exception>
    public static async Task<NodeDebugPod> StartAsync(IKubernetes client, string node, string ns, string image, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.ReadNodeAsync(node, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new InvalidInputException($"Node '{node}' not found: `kubectl get nodes` lists the nodes.");
        }

        var pod = new NodeDebugPod(client, ns, NameFor(node), node, timeout);
        await pod.RemoveLeftoverAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await client.CoreV1.CreateNamespacedPodAsync(pod.Manifest(image), ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            await pod.WaitAsync(
                pods => pods.TryGetValue(pod.Name, out var p) && p.Status?.ContainerStatuses?.Any(c => c.Name == Container && c.State?.Running is not null) == true,
                $"pod {ns}/{pod.Name} on node {node} to run", cancellationToken).ConfigureAwait(false);
            return pod;
        }
        catch
        {
            await pod.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Deletes the pod and waits until it is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        // Not the caller's token: the pod must go also when the run was cancelled.
        using var timeout = new CancellationTokenSource(_timeout);
        try
        {
            await _client.CoreV1.DeleteNamespacedPodAsync(Name, Namespace, gracePeriodSeconds: 0, cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return;
        }
        await WaitAsync(pods => !pods.ContainsKey(Name), $"pod {Namespace}/{Name} to be deleted", timeout.Token).ConfigureAwait(false);
    }

    private async Task RemoveLeftoverAsync(CancellationToken cancellationToken)
    {
        V1Pod existing;
        try
        {
            existing = await _client.CoreV1.ReadNamespacedPodAsync(Name, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return;
        }
        if (existing.Metadata.Labels?.TryGetValue(Label, out var value) != true || value != Node)
            throw new InvalidInputException($"Pod {Namespace}/{Name} exists and was not created by this tool: delete it or choose another namespace.");
        await DisposeAsync().ConfigureAwait(false);
    }

    private V1Pod Manifest(string image) => new()
    {
        Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = Namespace, Labels = new Dictionary<string, string> { [Label] = Node } },
        Spec = new V1PodSpec
        {
            NodeName = Node,
            HostNetwork = true,
            HostPID = true,
            RestartPolicy = "Never",
            Tolerations = [new V1Toleration { OperatorProperty = "Exists" }],
            Volumes = [new V1Volume { Name = "host", HostPath = new V1HostPathVolumeSource { Path = "/" } }],
            Containers =
            [
                new V1Container
                {
                    Name = Container,
                    Image = image,
                    Command = ["/bin/sh", "-c", "sleep infinity"],
                    SecurityContext = new V1SecurityContext { Privileged = true, RunAsUser = 0 },
                    VolumeMounts = [new V1VolumeMount { Name = "host", MountPath = HostRoot }],
                },
            ],
        },
    };

    private Task WaitAsync(Func<IReadOnlyDictionary<string, V1Pod>, bool> done, string what, CancellationToken cancellationToken)
    {
        var field = $"metadata.name={Name}";
        var source = new WatchSource<V1Pod>(
            async ct =>
            {
                var list = await _client.CoreV1.ListNamespacedPodAsync(Namespace, fieldSelector: field, cancellationToken: ct).ConfigureAwait(false);
                return (list.Items.ToList(), list.Metadata?.ResourceVersion);
            },
            (rv, seconds, onError, ct) => _client.CoreV1.WatchListNamespacedPodAsync(Namespace, allowWatchBookmarks: true, fieldSelector: field,
                resourceVersion: rv, timeoutSeconds: seconds, onError: onError, cancellationToken: ct));
        return new WatchLoop<V1Pod>(source).WaitAsync(done, what, _timeout, cancellationToken: cancellationToken);
    }
}

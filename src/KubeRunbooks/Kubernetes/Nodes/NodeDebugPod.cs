using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeRunbooks.Errors;
using KubeRunbooks.HostFiles;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Kubernetes.Pods;

namespace KubeRunbooks.Kubernetes.Nodes;

/// <summary>
/// A privileged pod on one node with the node's filesystem (hostPath <c>/</c>) mounted at <see cref="HostRoot"/>:
/// what <c>oc debug node/NAME</c> creates. Named <c>NODE-debug</c> as <c>oc debug</c> names it. Its life is a
/// <see cref="TransientPod"/>'s: one left by a killed run is replaced, and disposing deletes it and waits until it is
/// gone (call it in a <c>finally</c>, so a failure deletes it too).
/// </summary>
public sealed class NodeDebugPod : IAsyncDisposable
{
    /// <summary>Where the node's filesystem is mounted in the pod.</summary>
    public const string HostRoot = "/host";

    private const string Container = "debug";
    private readonly IKubernetes _client;
    private readonly TransientPod _pod;

    private NodeDebugPod(IKubernetes client, TransientPod pod, string node)
    {
        _client = client;
        _pod = pod;
        Node = node;
    }

    /// <summary>The pod's namespace.</summary>
    public string Namespace => _pod.Namespace;

    /// <summary>The pod's name.</summary>
    public string Name => _pod.Name;

    /// <summary>The node it runs on.</summary>
    public string Node { get; }

    /// <summary>The pod name used for a node.</summary>
    public static string NameFor(string node) => node.Replace('.', '-').Replace(':', '-') is var n && n.Length > 57 ? n[..57] + "-debug" : n + "-debug";

    /// <summary>Commands run in the pod against the node's filesystem.</summary>
    public IHostCommands Commands => new PodHostCommands(new PodExec(_client), Namespace, Name, Container, HostRoot, Node);

    /// <summary>Checks that the node exists, creates the pod on it and waits until it is ready.</summary>
    /// <param name="client">The cluster.</param>
    /// <param name="node">The node name.</param>
    /// <param name="ns">The namespace the pod is created in.</param>
    /// <param name="image">The image (it needs <c>sh</c> and <c>tar</c>).</param>
    /// <param name="timeout">How long the pod may take to run, and to go away.</param>
    /// <param name="cancellationToken">Cancels the start (the pod is deleted).</param>
    /// <exception cref="InvalidInputException">The node does not exist, or a pod of that name was made by someone else.</exception>
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

        var purpose = "node-debug-" + NameFor(node);
        try
        {
            // The pod is this target's first change: a foreign pod in its way is bad input, nothing was changed.
            await TransientPod.DeleteLeftoverAsync(client, ns, NameFor(node), purpose, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidInputException(e.Message + " Or choose another namespace.");
        }
        var pod = await TransientPod.StartAsync(client, Manifest(ns, node, image), purpose, timeout, cancellationToken).ConfigureAwait(false);
        return new NodeDebugPod(client, pod, node);
    }

    /// <summary>Deletes the pod and waits until it is gone.</summary>
    public ValueTask DisposeAsync() => _pod.DisposeAsync();

    private static V1Pod Manifest(string ns, string node, string image) => new()
    {
        Metadata = new V1ObjectMeta { Name = NameFor(node), NamespaceProperty = ns },
        Spec = new V1PodSpec
        {
            NodeName = node,
            HostNetwork = true,
            HostPID = true,
            RestartPolicy = "Never",
            // An idle sleep has nothing to shut down cleanly.
            TerminationGracePeriodSeconds = 0,
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
}

using k8s;

namespace KubeRunbooks.Kubernetes.Http;

/// <summary>Builds the <see cref="IKubernetes"/> every capability uses, with the <see cref="RetryHandler"/> in its pipeline.</summary>
public static class KubernetesClientFactory
{
    /// <summary>
    /// A client for the configuration with retries; a 403 before its first write is an <see cref="Access.AccessDeniedException"/>
    /// (exit 2, nothing changed), on a request or on an exec's WebSocket upgrade (after a change the upgrade's 403 is an
    /// <see cref="Access.ForbiddenAfterChangeException"/>).
    /// </summary>
    /// <param name="config">The cluster configuration (kubeconfig, in-cluster, or a loopback host).</param>
    /// <param name="policy">The retry policy; <see cref="RetryPolicy.Default"/> when null.</param>
    /// <param name="log">Receives one line per retry.</param>
    /// <returns>The client; dispose it when the run ends.</returns>
    public static IKubernetes Create(KubernetesClientConfiguration config, RetryPolicy? policy = null, Action<string>? log = null)
    {
        var changes = new Access.ForbiddenBeforeChangeHandler();
        var client = new k8s.Kubernetes(config, changes, new RetryHandler(policy, log));
        client.CreateWebSocketBuilder = () => new Access.ForbiddenUpgradeWebSocketBuilder(changes);
        return client;
    }

    /// <summary>A client from a kubeconfig file (null: KUBECONFIG or ~/.kube/config) and context (null: the current one).</summary>
    public static IKubernetes FromKubeconfig(string? path = null, string? context = null, RetryPolicy? policy = null, Action<string>? log = null)
    {
        var config = path is null && context is null
            ? KubernetesClientConfiguration.BuildDefaultConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile(path, context);
        return Create(config, policy, log);
    }
}

using System.Security.Cryptography;
using System.Text;
using k8s;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Kubernetes.Workloads;

namespace KubeRunbooks.Secrets;

/// <summary>
/// Checks that a workload's running pods hold a secret value in their environment without the value leaving the pod:
/// each container prints only the SHA-256 of its variable (<c>printf %s "$VAR" | sha256sum</c>), compared here with the
/// expected value's. Needs <c>sh</c> and <c>sha256sum</c> in the container.
/// </summary>
public sealed class SecretEnvProbe
{
    private readonly IKubernetes _client;
    private readonly PodExec _exec;

    /// <summary>Over the cluster.</summary>
    public SecretEnvProbe(IKubernetes client)
    {
        _client = client;
        _exec = new PodExec(client);
    }

    /// <summary>The pods and containers whose variable does not hold <paramref name="expected"/> (empty: all do), one line each.</summary>
    /// <param name="consumer">The workload and its variables.</param>
    /// <param name="selector">The workload's pod selector.</param>
    /// <param name="expected">The value they must hold (never printed).</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    public async Task<IReadOnlyList<string>> MismatchesAsync(SecretConsumer consumer, string selector, string expected, CancellationToken cancellationToken)
    {
        var want = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
        var pods = (await _client.CoreV1.ListNamespacedPodAsync(consumer.Workload.Namespace, labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false))
            .Items.Where(p => p.Metadata.DeletionTimestamp is null && p.Status?.Phase == "Running").ToList();
        var problems = new List<string>();
        if (pods.Count == 0 && consumer.Variables.Count > 0) problems.Add($"{consumer.Workload}: no running pod to check");
        foreach (var pod in pods)
        {
            foreach (var (container, variable) in consumer.Variables.Where(v => pod.Spec.Containers.Any(c => c.Name == v.Container)))
            {
                using var output = new MemoryStream();
                var request = new ExecRequest(pod.Metadata.NamespaceProperty, pod.Metadata.Name, container,
                    ["sh", "-c", "printf %s \"$(printenv \"$1\")\" | sha256sum", "kuberunbooks-probe", variable]);
                await _exec.RunCheckedAsync(request, output, null, null, cancellationToken).ConfigureAwait(false);
                var got = Encoding.ASCII.GetString(output.ToArray()).Split(' ', 2)[0].Trim();
                if (got != want) problems.Add($"pod {pod.Metadata.Name} container {container}: ${variable} does not hold the expected value");
            }
        }
        return problems;
    }
}

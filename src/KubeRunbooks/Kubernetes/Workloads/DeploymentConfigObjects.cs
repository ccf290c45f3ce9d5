using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace KubeRunbooks.Kubernetes.Workloads;

/// <summary>
/// DeploymentConfig objects read and patched as JSON through the API that serves them (<see cref="DeploymentConfigApi"/>):
/// the object itself, its annotations, a merge patch of its metadata.
/// </summary>
public sealed class DeploymentConfigObjects
{
    private readonly IKubernetes _client;

    /// <summary>Creates the access over a client.</summary>
    /// <param name="client">The Kubernetes client.</param>
    /// <param name="api">Where the cluster serves DeploymentConfigs.</param>
    public DeploymentConfigObjects(IKubernetes client, DeploymentConfigApi api)
    {
        _client = client;
        Api = api;
    }

    /// <summary>Where the cluster serves DeploymentConfigs.</summary>
    public DeploymentConfigApi Api { get; }

    /// <summary>The object, or null when it does not exist (or the cluster does not serve the group).</summary>
    public async Task<JsonObject?> TryGetAsync(string ns, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await _client.CustomObjects.GetNamespacedCustomObjectWithHttpMessagesAsync<JsonObject>(
                Api.Group, Api.Version, ns, Api.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return response.Body;
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The object's annotations; raises <see cref="WorkloadNotFoundException"/> when it does not exist.</summary>
    public async Task<IReadOnlyDictionary<string, string>> AnnotationsAsync(WorkloadRef workload, CancellationToken cancellationToken = default)
    {
        var dc = await TryGetAsync(workload.Namespace, workload.Name, cancellationToken).ConfigureAwait(false)
            ?? throw new WorkloadNotFoundException($"{workload} does not exist.");
        return dc["metadata"]?["annotations"] is JsonObject annotations
            ? annotations.Where(a => a.Value is JsonValue).ToDictionary(a => a.Key, a => a.Value!.GetValue<string>(), StringComparer.Ordinal)
            : new Dictionary<string, string>();
    }

    /// <summary>Sends a merge patch (e.g. of metadata.annotations); raises <see cref="WorkloadNotFoundException"/> when the object does not exist.</summary>
    public async Task PatchAsync(WorkloadRef workload, string mergePatch, CancellationToken cancellationToken = default)
    {
        try
        {
            await _client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(mergePatch, V1Patch.PatchType.MergePatch),
                Api.Group, Api.Version, workload.Namespace, Api.Plural, workload.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            throw new WorkloadNotFoundException($"{workload} does not exist.");
        }
    }
}

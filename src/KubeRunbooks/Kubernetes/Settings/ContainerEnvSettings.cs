using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeRunbooks.Kubernetes.Workloads;

namespace KubeRunbooks.Kubernetes.Settings;

/// <summary>
/// Settings held as plain <c>env</c> entries of one container of a workload's pod template. A write is one strategic
/// merge patch (containers and env merge by name), so the template changes once and the workload rolls out once.
/// </summary>
public sealed class ContainerEnvSettings : ISettingsStore
{
    private readonly WorkloadOperations _workloads;
    private readonly IKubernetes _client;
    private readonly WorkloadRef _workload;
    private readonly string? _container;

    /// <summary>Creates the store.</summary>
    /// <param name="client">The Kubernetes client.</param>
    /// <param name="workload">The workload.</param>
    /// <param name="container">The container, or null for the one named like the workload, else the first.</param>
    public ContainerEnvSettings(IKubernetes client, WorkloadRef workload, string? container = null)
    {
        _client = client;
        _workloads = new WorkloadOperations(client);
        _workload = workload;
        _container = container;
    }

    /// <inheritdoc />
    public string Description => $"env of container {_container ?? "(first)"} in {_workload}";

    /// <inheritdoc />
    public bool WriteRollsOut => true;

    /// <summary>The container whose environment holds the settings, read from the cluster.</summary>
    public async Task<string> ContainerNameAsync(CancellationToken cancellationToken = default) =>
        Container(await ReadWorkloadAsync(cancellationToken).ConfigureAwait(false)).Name;

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string?>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        var container = Container(await ReadWorkloadAsync(cancellationToken).ConfigureAwait(false));
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var entry = container.Env?.LastOrDefault(e => e.Name == key);
            if (entry?.ValueFrom is not null)
            {
                // A value taken from a ConfigMap or Secret cannot be set here: the source object is the place to change it.
                throw new SettingsLocationException($"{key} in container {container.Name} of {_workload} comes from {Source(entry.ValueFrom)}, not a plain value: set it there (name that ConfigMap in the profile).");
            }

            result[key] = entry?.Value;
        }

        return result;
    }

    /// <inheritdoc />
    public async Task WriteAsync(IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken = default)
    {
        var container = Container(await ReadWorkloadAsync(cancellationToken).ConfigureAwait(false)).Name;
        var env = new JsonArray(values.Select(v => (JsonNode)new JsonObject { ["name"] = v.Key, ["value"] = v.Value }).ToArray());
        var body = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = container, ["env"] = env }) },
                },
            },
        }.ToJsonString();
        var patch = new V1Patch(body, V1Patch.PatchType.StrategicMergePatch);
        try
        {
            if (_workload.Kind == WorkloadKind.StatefulSet)
                await _client.AppsV1.PatchNamespacedStatefulSetAsync(patch, _workload.Name, _workload.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            else
                await _client.AppsV1.PatchNamespacedDeploymentAsync(patch, _workload.Name, _workload.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            throw new SettingsLocationException($"{_workload} does not exist.");
        }
    }

    private async Task<WorkloadState> ReadWorkloadAsync(CancellationToken cancellationToken) =>
        await _workloads.TryGetAsync(_workload, cancellationToken).ConfigureAwait(false)
        ?? throw new SettingsLocationException($"{_workload} does not exist: its container environment holds the settings.");

    private V1Container Container(WorkloadState state) =>
        (_container is null
            ? state.Containers.FirstOrDefault(c => c.Name == _workload.Name) ?? state.Containers.FirstOrDefault()
            : state.Containers.FirstOrDefault(c => c.Name == _container))
        ?? throw new SettingsLocationException($"{_workload} has no container {_container ?? "at all"}.");

    private static string Source(V1EnvVarSource source) =>
        source.ConfigMapKeyRef is { } c ? $"configmap {c.Name} key {c.Key}"
        : source.SecretKeyRef is { } s ? $"secret {s.Name} key {s.Key}"
        : "a field or resource reference";
}

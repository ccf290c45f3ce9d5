using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace KubeRunbooks.Kubernetes.Settings;

/// <summary>
/// Settings held as keys of a ConfigMap that pods read at start (<c>envFrom</c> or <c>configMapKeyRef</c>): a write
/// is one merge patch of <c>data</c>, and the pods need a restart to see it.
/// </summary>
public sealed class ConfigMapSettings : ISettingsStore
{
    private readonly IKubernetes _client;
    private readonly string _namespace;
    private readonly string _name;

    /// <summary>Creates the store.</summary>
    public ConfigMapSettings(IKubernetes client, string ns, string name)
    {
        _client = client;
        _namespace = ns;
        _name = name;
    }

    /// <inheritdoc />
    public string Description => $"configmap {_namespace}/{_name}";

    /// <inheritdoc />
    public bool WriteRollsOut => false;

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string?>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        V1ConfigMap map;
        try
        {
            map = await _client.CoreV1.ReadNamespacedConfigMapAsync(_name, _namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            throw new SettingsLocationException($"{Description} does not exist: it is said to hold the settings.");
        }

        return keys.ToDictionary(k => k, k => map.Data?.TryGetValue(k, out var v) == true ? v : null, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public async Task WriteAsync(IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken = default)
    {
        var data = new JsonObject();
        foreach (var (key, value) in values) data[key] = value;
        var patch = new V1Patch(new JsonObject { ["data"] = data }.ToJsonString(), V1Patch.PatchType.MergePatch);
        try
        {
            await _client.CoreV1.PatchNamespacedConfigMapAsync(patch, _name, _namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            throw new SettingsLocationException($"{Description} does not exist.");
        }
    }
}

using System.Text;
using k8s.Models;

namespace KubeRunbooks.Simulator.Runtime;

/// <summary>
/// Resolves a container's environment as the kubelet does: envFrom first (in order, with prefix),
/// then env (value with <c>$(VAR)</c> expansion, configMapKeyRef, secretKeyRef, fieldRef).
/// </summary>
internal sealed class EnvResolver(IEnvSource source)
{
    private const string ConfigError = "CreateContainerConfigError";

    /// <summary>Adds the container's variables to <paramref name="env"/> (which holds the base variables).</summary>
    public void Resolve(V1Pod pod, V1Container container, IDictionary<string, string> env)
    {
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        foreach (var from in container.EnvFrom ?? [])
        {
            var prefix = from.Prefix ?? "";
            if (from.ConfigMapRef is { } cmRef)
            {
                var data = source.GetConfigMap(ns, cmRef.Name);
                if (data is null)
                {
                    if (cmRef.Optional == true) continue;
                    throw new ContainerConfigException(ConfigError, $"configmap \"{cmRef.Name}\" not found");
                }
                foreach (var (key, value) in data) env[prefix + key] = value;
            }
            if (from.SecretRef is { } secretRef)
            {
                var data = source.GetSecret(ns, secretRef.Name);
                if (data is null)
                {
                    if (secretRef.Optional == true) continue;
                    throw new ContainerConfigException(ConfigError, $"secret \"{secretRef.Name}\" not found");
                }
                foreach (var (key, value) in data) env[prefix + key] = Encoding.UTF8.GetString(value);
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            var value = variable.ValueFrom is { } from
                ? ValueFrom(pod, ns, variable.Name, from)
                : Expand(variable.Value ?? "", env);
            if (value is not null) env[variable.Name] = value;
        }
    }

    private string? ValueFrom(V1Pod pod, string ns, string name, V1EnvVarSource from)
    {
        if (from.ConfigMapKeyRef is { } cmKey)
        {
            var data = source.GetConfigMap(ns, cmKey.Name);
            if (data is not null && data.TryGetValue(cmKey.Key, out var value)) return value;
            if (cmKey.Optional == true) return null;
            throw new ContainerConfigException(ConfigError, data is null
                ? $"configmap \"{cmKey.Name}\" not found"
                : $"couldn't find key {cmKey.Key} in ConfigMap {ns}/{cmKey.Name}");
        }
        if (from.SecretKeyRef is { } secretKey)
        {
            var data = source.GetSecret(ns, secretKey.Name);
            if (data is not null && data.TryGetValue(secretKey.Key, out var value)) return Encoding.UTF8.GetString(value);
            if (secretKey.Optional == true) return null;
            throw new ContainerConfigException(ConfigError, data is null
                ? $"secret \"{secretKey.Name}\" not found"
                : $"couldn't find key {secretKey.Key} in Secret {ns}/{secretKey.Name}");
        }
        if (from.FieldRef is { } field) return FieldValue(pod, field.FieldPath);
        // resourceFieldRef: the simulated kubelet has no limits to report.
        return "";
    }

    private static string FieldValue(V1Pod pod, string path)
    {
        var meta = pod.Metadata;
        switch (path)
        {
            case "metadata.name": return meta.Name ?? "";
            case "metadata.namespace": return meta.NamespaceProperty ?? "default";
            case "metadata.uid": return meta.Uid ?? "";
            case "spec.nodeName": return pod.Spec.NodeName ?? "simulated-node";
            case "spec.serviceAccountName": return pod.Spec.ServiceAccountName ?? "default";
            case "status.podIP" or "status.hostIP": return "127.0.0.1";
        }
        if (TryMapKey(path, "metadata.labels", meta.Labels, out var label)) return label;
        if (TryMapKey(path, "metadata.annotations", meta.Annotations, out var annotation)) return annotation;
        return "";
    }

    private static bool TryMapKey(string path, string prefix, IDictionary<string, string>? map, out string value)
    {
        value = "";
        if (!path.StartsWith(prefix + "['", StringComparison.Ordinal) || !path.EndsWith("']", StringComparison.Ordinal)) return false;
        var key = path[(prefix.Length + 2)..^2];
        if (map is not null && map.TryGetValue(key, out var found)) value = found;
        return true;
    }

    /// <summary>Kubernetes' <c>$(VAR)</c> expansion: defined names are replaced, <c>$$</c> is a literal <c>$</c>, others stay.</summary>
    public static string Expand(string input, IDictionary<string, string> env)
    {
        if (!input.Contains('$')) return input;
        var output = new StringBuilder(input.Length);
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] != '$' || i + 1 >= input.Length)
            {
                output.Append(input[i]);
                continue;
            }
            var next = input[i + 1];
            if (next == '$')
            {
                output.Append('$');
                i++;
            }
            else if (next == '(' && input.IndexOf(')', i + 2) is var close && close > 0)
            {
                var name = input[(i + 2)..close];
                output.Append(env.TryGetValue(name, out var value) ? value : input[i..(close + 1)]);
                i = close;
            }
            else
            {
                output.Append('$');
            }
        }
        return output.ToString();
    }
}

using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s.Models;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Api;

/// <summary>
/// Finds fields a kind does not declare, using the k8s.Models types as the schema (their
/// <c>JsonPropertyName</c>s), and removes them: <c>fieldValidation=Strict</c> rejects an object
/// with unknown fields, Warn (the default) and Ignore drop them as a real server's decoder does.
/// </summary>
internal static class FieldValidation
{
    private static readonly Dictionary<ResourceKind, Type> ModelTypes = new()
    {
        [ResourceCatalog.Namespaces] = typeof(V1Namespace),
        [ResourceCatalog.Nodes] = typeof(V1Node),
        [ResourceCatalog.Pods] = typeof(V1Pod),
        [ResourceCatalog.Services] = typeof(V1Service),
        [ResourceCatalog.ConfigMaps] = typeof(V1ConfigMap),
        [ResourceCatalog.Secrets] = typeof(V1Secret),
        [ResourceCatalog.PersistentVolumeClaims] = typeof(V1PersistentVolumeClaim),
        [ResourceCatalog.Events] = typeof(Corev1Event),
        [ResourceCatalog.StatefulSets] = typeof(V1StatefulSet),
        [ResourceCatalog.Deployments] = typeof(V1Deployment),
        [ResourceCatalog.Jobs] = typeof(V1Job),
        [ResourceCatalog.CronJobs] = typeof(V1CronJob),
        [ResourceCatalog.Leases] = typeof(V1Lease),
        [ResourceCatalog.ServiceAccounts] = typeof(V1ServiceAccount),
        [ResourceCatalog.Nodes] = typeof(V1Node),
        [ResourceCatalog.ReplicaSets] = typeof(V1ReplicaSet),
        [ResourceCatalog.DeploymentConfigs] = typeof(OpenShift.DeploymentConfigModel),
        [ResourceCatalog.Roles] = typeof(V1Role),
        [ResourceCatalog.ClusterRoles] = typeof(V1ClusterRole),
        [ResourceCatalog.RoleBindings] = typeof(V1RoleBinding),
        [ResourceCatalog.ClusterRoleBindings] = typeof(V1ClusterRoleBinding),
    };

    private static readonly ConcurrentDictionary<Type, Dictionary<string, Type>> Properties = new();

    /// <summary>The model type of a kind.</summary>
    public static Type ModelType(ResourceKind kind) => ModelTypes[kind];

    /// <summary>
    /// Removes undeclared fields from <paramref name="obj"/> and returns their paths
    /// (<c>spec.template.spec.containers[0].imagee</c>).
    /// </summary>
    public static List<string> PruneUnknown(JsonObject obj, Type modelType)
    {
        var unknown = new List<string>();
        Walk(obj, modelType, "", unknown);
        return unknown;
    }

    /// <summary>
    /// Applies the request's fieldValidation mode: Strict throws a 400 naming the unknown fields,
    /// the other modes drop them (Warn adds a warning to <paramref name="warnings"/>).
    /// </summary>
    public static void Enforce(JsonObject obj, Type modelType, string? mode, string strictPrefix, List<string> warnings)
    {
        var unknown = PruneUnknown(obj, modelType);
        if (unknown.Count == 0) return;
        var list = string.Join(", ", unknown.Select(u => $"unknown field \"{u}\""));
        if (string.Equals(mode, "Strict", StringComparison.OrdinalIgnoreCase))
        {
            throw ApiError.BadRequest($"{strictPrefix}strict decoding error: {list}");
        }
        if (!string.Equals(mode, "Ignore", StringComparison.OrdinalIgnoreCase)) warnings.AddRange(unknown.Select(u => $"unknown field \"{u}\""));
    }

    private static void Walk(JsonNode? node, Type type, string path, List<string> unknown)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (node is null || IsLeaf(type)) return;
        if (TryElementType(type, typeof(IDictionary<,>), 1, out var valueType))
        {
            if (node is JsonObject map)
            {
                foreach (var (key, value) in map) Walk(value, valueType, Join(path, key), unknown);
            }
            return;
        }
        if (TryElementType(type, typeof(IEnumerable<>), 0, out var itemType))
        {
            if (node is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++) Walk(array[i], itemType, $"{path}[{i}]", unknown);
            }
            return;
        }
        if (node is not JsonObject obj) return;
        var properties = Properties.GetOrAdd(type, Declared);
        foreach (var (key, value) in obj.ToList())
        {
            if (properties.TryGetValue(key, out var propertyType))
            {
                Walk(value, propertyType, Join(path, key), unknown);
                continue;
            }
            unknown.Add(Join(path, key));
            obj.Remove(key);
        }
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime)
        || type == typeof(DateTimeOffset) || type == typeof(byte[]) || type == typeof(object)
        || type == typeof(ResourceQuantity) || type == typeof(IntOrString);

    private static bool TryElementType(Type type, Type generic, int argument, out Type element)
    {
        var match = type.IsGenericType && type.GetGenericTypeDefinition() == generic
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == generic);
        element = match?.GetGenericArguments()[argument] ?? typeof(object);
        return match != null && (generic != typeof(IEnumerable<>) || typeof(IEnumerable).IsAssignableFrom(type));
    }

    private static Dictionary<string, Type> Declared(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name, p.PropertyType))
            .Where(p => p.Name != null)
            .ToDictionary(p => p.Name!, p => p.PropertyType);
}

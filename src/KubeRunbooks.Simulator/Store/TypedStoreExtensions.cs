using System.Text.Json.Nodes;
using k8s;

namespace KubeRunbooks.Simulator.Store;

/// <summary>
/// Typed access to the store through the k8s.Models records, for kind-specific logic
/// (controllers read a <c>V1StatefulSet</c>, write back JSON).
/// </summary>
public static class TypedStoreExtensions
{
    /// <summary>Converts a stored object to a model type (<c>V1Pod</c>, <c>V1StatefulSet</c>...).</summary>
    public static T As<T>(this JsonObject obj) => KubernetesJson.Deserialize<T>(obj.ToJsonString());

    /// <summary>Converts a model object to the JSON the store keeps.</summary>
    public static JsonObject ToJsonObject(object model) =>
        JsonNode.Parse(KubernetesJson.Serialize(model))?.AsObject() ?? throw new ArgumentException("The model serialized to null.", nameof(model));

    /// <summary>The object as a model, or default when it does not exist.</summary>
    public static T? TryGet<T>(this ObjectStore store, ResourceKind kind, string? ns, string name) where T : class =>
        store.TryGet(kind, ns, name)?.As<T>();

    /// <summary>Objects of a kind as models.</summary>
    public static IReadOnlyList<T> ListAs<T>(this ObjectStore store, ResourceKind kind, string? ns = null, LabelSelector? labels = null) =>
        store.List(kind, ns, labels).Items.Select(o => o.As<T>()).ToList();

    /// <summary>Creates an object from a model.</summary>
    public static T Create<T>(this ObjectStore store, ResourceKind kind, string? ns, T model) where T : class =>
        store.Create(kind, ns, ToJsonObject(model)).As<T>();

    /// <summary>Replaces an object's status from a model (only its status is taken).</summary>
    public static T UpdateStatus<T>(this ObjectStore store, ResourceKind kind, string? ns, T model) where T : class =>
        store.UpdateStatus(kind, ns, ToJsonObject(model)).As<T>();
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Controllers;

/// <summary>What the workload controllers share: owner references, pods from templates, template hashes, pod readiness.</summary>
public static class Workloads
{
    /// <summary>The label a StatefulSet puts on its pods with the revision they were made from.</summary>
    public const string RevisionLabel = "controller-revision-hash";

    /// <summary>The label a Deployment puts on its pods with the hash of their template.</summary>
    public const string TemplateHashLabel = "pod-template-hash";

    /// <summary>The controller owner reference pointing at <paramref name="owner"/>.</summary>
    public static JsonObject OwnerReference(ResourceKind kind, JsonObject owner) => new()
    {
        ["apiVersion"] = kind.ApiVersion,
        ["kind"] = kind.Kind,
        ["name"] = Name(owner),
        ["uid"] = Uid(owner),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    /// <summary>The name of the controller owner of kind <paramref name="kind"/>, or null.</summary>
    public static string? ControllerOf(JsonObject obj, ResourceKind kind)
    {
        if (obj["metadata"]?["ownerReferences"] is not JsonArray refs) return null;
        return refs.OfType<JsonObject>()
            .Where(r => (string?)r["kind"] == kind.Kind && (bool?)r["controller"] == true)
            .Select(r => (string?)r["name"])
            .FirstOrDefault();
    }

    /// <summary>True when <paramref name="obj"/> is owned by the object with uid <paramref name="ownerUid"/>.</summary>
    public static bool IsOwnedBy(JsonObject obj, string ownerUid) =>
        obj["metadata"]?["ownerReferences"] is JsonArray refs && refs.Any(r => (string?)r?["uid"] == ownerUid);

    /// <summary>The pods owned by <paramref name="owner"/>.</summary>
    public static List<JsonObject> OwnedPods(ObjectStore store, JsonObject owner)
    {
        var uid = Uid(owner);
        return store.List(ResourceCatalog.Pods, Namespace(owner)).Items.Where(p => IsOwnedBy(p, uid)).ToList();
    }

    /// <summary>A new pod from a pod template: its labels and annotations, its spec, owned by <paramref name="ownerReference"/>.</summary>
    public static JsonObject PodFromTemplate(JsonObject template, JsonObject ownerReference)
    {
        var templateMeta = template["metadata"] as JsonObject;
        var meta = new JsonObject
        {
            ["labels"] = templateMeta?["labels"]?.DeepClone() ?? new JsonObject(),
            ["ownerReferences"] = new JsonArray(ownerReference.DeepClone()),
        };
        if (templateMeta?["annotations"] is JsonObject annotations) meta["annotations"] = annotations.DeepClone();
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = meta,
            ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject(),
        };
    }

    /// <summary>
    /// A short stable hash of a pod template (FNV-1a over its JSON, in the characters Kubernetes uses
    /// for hashes), so that any template change gives a new revision.
    /// </summary>
    public static string TemplateHash(JsonNode? template)
    {
        const string safe = "bcdfghjklmnpqrstvwxz2456789";
        var bytes = Encoding.UTF8.GetBytes(template?.ToJsonString() ?? "");
        uint hash = 2166136261;
        foreach (var b in bytes) hash = (hash ^ b) * 16777619;
        var text = new StringBuilder();
        for (var i = 0; i < 10; i++)
        {
            text.Append(safe[(int)(hash % (uint)safe.Length)]);
            hash = hash / (uint)safe.Length ^ (uint)(i * 2654435761);
        }
        return text.ToString();
    }

    /// <summary>True when the pod's Ready condition is True.</summary>
    public static bool IsReady(JsonObject pod) =>
        pod["status"]?["conditions"] is JsonArray conditions &&
        conditions.Any(c => (string?)c?["type"] == "Ready" && (string?)c?["status"] == "True");

    /// <summary>The pod's phase.</summary>
    public static string Phase(JsonObject pod) => (string?)pod["status"]?["phase"] ?? "Pending";

    /// <summary>The object's name.</summary>
    public static string Name(JsonObject obj) => (string?)obj["metadata"]?["name"] ?? "";

    /// <summary>The object's namespace.</summary>
    public static string Namespace(JsonObject obj) => (string?)obj["metadata"]?["namespace"] ?? "default";

    /// <summary>The object's uid.</summary>
    public static string Uid(JsonObject obj) => (string?)obj["metadata"]?["uid"] ?? "";

    /// <summary>The object's metadata.generation.</summary>
    public static long Generation(JsonObject obj) => JsonNumbers.AsLong(obj["metadata"]?["generation"]) ?? 0;

    /// <summary>An integer field, or <paramref name="fallback"/>.</summary>
    public static int Int(JsonNode? node, int fallback) => (int?)JsonNumbers.AsLong(node) ?? fallback;

    /// <summary>A label value, or null.</summary>
    public static string? Label(JsonObject obj, string key) => (string?)obj["metadata"]?["labels"]?[key];

    /// <summary>Now, as the API writes times.</summary>
    public static string Now() => ObjectStore.Timestamp(DateTimeOffset.UtcNow);

    /// <summary>Sets <c>status</c> to <paramref name="status"/> when it differs (the store skips identical writes).</summary>
    public static void WriteStatus(ObjectStore store, ResourceKind kind, JsonObject obj, JsonObject status) =>
        store.Mutate(kind, Namespace(obj), Name(obj), current =>
        {
            current["status"] = status;
            current["metadata"]!.AsObject().Remove("resourceVersion");
            return current;
        }, statusOnly: true);

    /// <summary>The invariant text of a number.</summary>
    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

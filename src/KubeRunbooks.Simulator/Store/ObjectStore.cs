using System.Globalization;
using System.Text.Json.Nodes;

namespace KubeRunbooks.Simulator.Store;

/// <summary>
/// The simulated cluster's object store: objects kept as JSON, one resourceVersion counter for
/// the whole store (as etcd's revision), a bounded history of changes for watches that start
/// from a version, and garbage collection of dependents through ownerReferences.
/// Every method is thread-safe; objects given out are copies.
/// Errors are thrown as <see cref="ApiError"/> with a real server's code, reason and message.
/// </summary>
public sealed class ObjectStore
{
    private const string NameChars = "bcdfghjklmnpqrstvwxz2456789";
    private readonly object _gate = new();
    private readonly Dictionary<ResourceKind, SortedDictionary<string, JsonObject>> _objects = new();
    private readonly LinkedList<StoreEvent> _history = new();
    private readonly List<StoreSubscription> _subscriptions = new();
    private readonly int _historyLimit;
    private long _version;
    private long _compactedThrough;

    /// <summary>Creates a store holding the namespaces every cluster has (default, kube-system, kube-public).</summary>
    /// <param name="historyLimit">How many changes are kept for watches from a resourceVersion.</param>
    public ObjectStore(int historyLimit = 10_000)
    {
        _historyLimit = historyLimit;
        foreach (var kind in ResourceCatalog.All) _objects[kind] = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var ns in new[] { "default", "kube-system", "kube-public" })
        {
            Create(ResourceCatalog.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
        }
    }

    /// <summary>
    /// Loads a store from a snapshot (see <see cref="Snapshot"/>): the objects as they were, and the counter at the
    /// snapshot's version so later versions keep increasing. The change history starts empty: a watch from an
    /// earlier version gets 410 Gone, as after an etcd restart with compaction.
    /// </summary>
    /// <exception cref="InvalidDataException">An object has an unknown apiVersion/kind, no name, or appears twice.</exception>
    public ObjectStore(StoreSnapshot snapshot, int historyLimit = 10_000)
    {
        _historyLimit = historyLimit;
        foreach (var kind in ResourceCatalog.All) _objects[kind] = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var item in snapshot.Objects)
        {
            var kind = ResourceCatalog.FindByKind((string?)item["apiVersion"] ?? "", (string?)item["kind"] ?? "")
                ?? throw new InvalidDataException($"unknown object kind '{(string?)item["apiVersion"]}/{(string?)item["kind"]}'");
            var name = (string?)item["metadata"]?["name"];
            if (string.IsNullOrEmpty(name)) throw new InvalidDataException($"a {kind.Kind} without a name");
            if (!_objects[kind].TryAdd(Key(kind, Namespace(item), name), (JsonObject)item.DeepClone()))
            {
                throw new InvalidDataException($"{kind.Kind} '{name}' appears twice");
            }
        }
        _version = snapshot.ResourceVersion;
        _compactedThrough = _version;
    }

    /// <summary>
    /// Called after every accepted change (once per created, replaced or deleted object, cascades included), under
    /// the store's lock and before watchers see the change, so a persister can write the state in order.
    /// An exception it throws reaches the caller of the mutation.
    /// </summary>
    public Action<StoreEvent>? AfterMutation { get; set; }

    /// <summary>Copies of every object and the current resourceVersion, taken atomically.</summary>
    public StoreSnapshot Snapshot()
    {
        lock (_gate)
        {
            var items = ResourceCatalog.All.SelectMany(k => _objects[k].Values).Select(o => (JsonObject)o.DeepClone()).ToList();
            return new StoreSnapshot(_version, items);
        }
    }

    /// <summary>The latest resourceVersion of the store.</summary>
    public long CurrentVersion { get { lock (_gate) return _version; } }

    /// <summary>Changes at or below this version are forgotten: a watch from an older version gets 410.</summary>
    public long CompactedThrough { get { lock (_gate) return _compactedThrough; } }

    /// <summary>Forgets the change history (as etcd compaction does): watches from any earlier version get 410 Gone.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            _history.Clear();
            _compactedThrough = _version;
        }
    }

    /// <summary>The object, or null when it does not exist.</summary>
    public JsonObject? TryGet(ResourceKind kind, string? ns, string name)
    {
        lock (_gate) return _objects[kind].TryGetValue(Key(kind, ns, name), out var obj) ? (JsonObject)obj.DeepClone() : null;
    }

    /// <summary>The object; throws a 404 <see cref="ApiError"/> when it does not exist.</summary>
    public JsonObject Get(ResourceKind kind, string? ns, string name) => TryGet(kind, ns, name) ?? throw ApiError.NotFound(kind, name);

    /// <summary>Objects of a kind (in one namespace, or all when <paramref name="ns"/> is null) that match the selectors, ordered by namespace and name.</summary>
    public StoreList List(ResourceKind kind, string? ns = null, LabelSelector? labels = null, FieldSelector? fields = null)
    {
        lock (_gate)
        {
            var items = _objects[kind].Values
                .Where(o => ns == null || Namespace(o) == ns)
                .Where(o => labels == null || labels.Matches(o))
                .Where(o => fields == null || fields.Matches(o))
                .Select(o => (JsonObject)o.DeepClone())
                .ToList();
            return new StoreList(items, _version);
        }
    }

    /// <summary>
    /// Creates an object (name or metadata.generateName required; namespace must exist for namespaced kinds).
    /// Sets uid, creationTimestamp, resourceVersion, generation and the kind's defaults; returns the stored object.
    /// With <paramref name="dryRun"/> every check runs and the result is returned, but nothing is stored.
    /// </summary>
    public JsonObject Create(ResourceKind kind, string? ns, JsonObject obj, bool dryRun = false)
    {
        obj = (JsonObject)obj.DeepClone();
        var meta = Metadata(obj);
        lock (_gate)
        {
            if (kind.Namespaced)
            {
                ns ??= (string?)meta["namespace"] ?? "default";
                if (!_objects[ResourceCatalog.Namespaces].ContainsKey(Key(ResourceCatalog.Namespaces, null, ns)))
                {
                    throw ApiError.NotFound(ResourceCatalog.Namespaces, ns);
                }
                meta["namespace"] = ns;
            }
            else
            {
                meta.Remove("namespace");
            }
            var name = (string?)meta["name"];
            if (string.IsNullOrEmpty(name))
            {
                var generateName = (string?)meta["generateName"];
                if (string.IsNullOrEmpty(generateName))
                {
                    throw ApiError.Invalid(kind, "", "metadata.name", "Required value: name or generateName is required");
                }
                do name = generateName + RandomSuffix();
                while (_objects[kind].ContainsKey(Key(kind, ns, name)));
                meta["name"] = name;
            }
            if (_objects[kind].ContainsKey(Key(kind, ns, name))) throw ApiError.AlreadyExists(kind, name);

            obj["kind"] = kind.Kind;
            obj["apiVersion"] = kind.ApiVersion;
            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = Timestamp(DateTimeOffset.UtcNow);
            meta.Remove("deletionTimestamp");
            if (kind.HasGeneration) meta["generation"] = 1;
            ObjectDefaults.Apply(kind, obj, creating: true);
            if (dryRun) return (JsonObject)obj.DeepClone();
            meta["resourceVersion"] = Next();
            _objects[kind][Key(kind, ns, name)] = obj;
            Publish(StoreEventType.Added, kind, obj);
            return (JsonObject)obj.DeepClone();
        }
    }

    /// <summary>
    /// Replaces an object (PUT). A resourceVersion in the new object must be the current one (409 otherwise).
    /// For kinds with a status subresource the status is kept; spec changes bump generation.
    /// An update that changes nothing returns the object unchanged, without a new version.
    /// </summary>
    public JsonObject Update(ResourceKind kind, string? ns, JsonObject obj, bool dryRun = false) => Replace(kind, ns, obj, statusOnly: false, dryRun);

    /// <summary>Replaces only the status of an object (PUT .../status); everything else is kept.</summary>
    public JsonObject UpdateStatus(ResourceKind kind, string? ns, JsonObject obj, bool dryRun = false) => Replace(kind, ns, obj, statusOnly: true, dryRun);

    /// <summary>
    /// Reads, changes and writes an object under the store's lock (a patch): <paramref name="change"/> gets a copy
    /// and returns the new object, which is then stored as by <see cref="Update"/> (or <see cref="UpdateStatus"/>).
    /// </summary>
    public JsonObject Mutate(ResourceKind kind, string? ns, string name, Func<JsonObject, JsonObject> change, bool statusOnly = false, bool dryRun = false)
    {
        lock (_gate)
        {
            var current = Get(kind, ns, name);
            var changed = change((JsonObject)current.DeepClone());
            var meta = Metadata(changed);
            // A patch may carry a resourceVersion precondition; without one it applies to the current object.
            meta["resourceVersion"] ??= (string?)current["metadata"]?["resourceVersion"];
            meta["name"] = name;
            return Replace(kind, ns, changed, statusOnly, dryRun);
        }
    }

    /// <summary>
    /// Deletes an object and returns its last state. Dependents (objects whose ownerReferences name it) are
    /// deleted too unless <paramref name="orphan"/> is true, in which case their ownerReference is removed.
    /// Deleting a namespace deletes everything in it. With <paramref name="dryRun"/> nothing is deleted.
    /// </summary>
    public JsonObject Delete(ResourceKind kind, string? ns, string name, bool orphan = false, bool dryRun = false)
    {
        lock (_gate)
        {
            var key = Key(kind, ns, name);
            UpdateRules.CheckDelete(kind, name);
            if (dryRun) return Get(kind, ns, name);
            if (!_objects[kind].Remove(key, out var obj)) throw ApiError.NotFound(kind, name);
            Metadata(obj)["resourceVersion"] = Next();
            Publish(StoreEventType.Deleted, kind, obj);
            var uid = (string?)obj["metadata"]?["uid"];
            if (kind == ResourceCatalog.Namespaces) DeleteNamespaceContents(name);
            else if (uid != null) CollectDependents(uid, kind.Namespaced ? ns : null, orphan);
            return (JsonObject)obj.DeepClone();
        }
    }

    /// <summary>
    /// Watches changes of a kind (or of every kind when null) in a namespace (or all when null), filtered by
    /// <paramref name="filter"/>. With <paramref name="fromVersion"/> null the current objects come first as
    /// Added events; otherwise the changes after that version are replayed (410 <see cref="ApiError"/> when
    /// that version has been compacted away), then live changes follow.
    /// </summary>
    public StoreSubscription Watch(ResourceKind? kind, string? ns = null, long? fromVersion = null, Func<JsonObject, bool>? filter = null)
    {
        bool Wanted(StoreEvent e) =>
            (kind == null || e.Kind == kind) && (ns == null || Namespace(e.Object) == ns) && (filter == null || filter(e.Object));

        lock (_gate)
        {
            if (fromVersion is long from && from < _compactedThrough) throw ApiError.Expired(from, _compactedThrough + 1);
            var subscription = new StoreSubscription(e => Wanted(e), Unsubscribe);
            if (fromVersion is long since)
            {
                foreach (var e in _history.Where(e => e.ResourceVersion > since)) subscription.Offer(Copy(e));
            }
            else
            {
                foreach (var k in kind == null ? ResourceCatalog.All : [kind])
                {
                    foreach (var obj in _objects[k].Values)
                    {
                        subscription.Offer(new StoreEvent(StoreEventType.Added, k, (JsonObject)obj.DeepClone(), ParseVersion(obj)));
                    }
                }
            }
            _subscriptions.Add(subscription);
            return subscription;
        }
    }

    /// <summary>The resourceVersion of an object as a number (0 when absent or malformed).</summary>
    public static long ParseVersion(JsonObject obj) =>
        long.TryParse((string?)obj["metadata"]?["resourceVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;

    /// <summary>A timestamp as the API writes one (RFC 3339, seconds, UTC).</summary>
    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private JsonObject Replace(ResourceKind kind, string? ns, JsonObject obj, bool statusOnly, bool dryRun = false)
    {
        obj = (JsonObject)obj.DeepClone();
        var meta = Metadata(obj);
        var name = (string?)meta["name"];
        lock (_gate)
        {
            if (string.IsNullOrEmpty(name)) throw ApiError.Invalid(kind, "", "metadata.name", "Required value: name is required");
            ns = kind.Namespaced ? ns ?? (string?)meta["namespace"] ?? "default" : null;
            var key = Key(kind, ns, name);
            if (!_objects[kind].TryGetValue(key, out var current)) throw ApiError.NotFound(kind, name);
            // The uid of the object sent is a precondition, checked before its resourceVersion.
            var uid = (string?)meta["uid"];
            var currentUid = (string?)current["metadata"]!["uid"] ?? "";
            if (!string.IsNullOrEmpty(uid) && uid != currentUid) throw ApiError.UidPrecondition(kind, name, uid, currentUid);
            var requested = (string?)meta["resourceVersion"];
            if (!string.IsNullOrEmpty(requested) && requested != (string?)current["metadata"]!["resourceVersion"])
            {
                throw ApiError.Conflict(kind, name);
            }

            JsonObject next;
            if (statusOnly)
            {
                next = (JsonObject)current.DeepClone();
                next.Remove("status");
                if (obj["status"] != null) next["status"] = obj["status"]!.DeepClone();
            }
            else
            {
                next = obj;
                if (kind.HasStatus)
                {
                    next.Remove("status");
                    if (current["status"] != null) next["status"] = current["status"]!.DeepClone();
                }
                var nextMeta = Metadata(next);
                var currentMeta = (JsonObject)current["metadata"]!;
                foreach (var immutable in new[] { "uid", "creationTimestamp", "generation", "deletionTimestamp", "generateName" })
                {
                    nextMeta.Remove(immutable);
                    if (currentMeta[immutable] != null) nextMeta[immutable] = currentMeta[immutable]!.DeepClone();
                }
                if (kind.Namespaced) nextMeta["namespace"] = ns;
                next["kind"] = kind.Kind;
                next["apiVersion"] = kind.ApiVersion;
                ObjectDefaults.Apply(kind, next, creating: false);
                UpdateRules.CheckUpdate(kind, name, current, next);
                if (kind.HasGeneration && !JsonNode.DeepEquals(next["spec"], current["spec"]))
                {
                    nextMeta["generation"] = (JsonNumbers.AsLong(currentMeta["generation"]) ?? 0) + 1;
                }
            }
            Metadata(next)["resourceVersion"] = current["metadata"]!["resourceVersion"]!.DeepClone();
            if (JsonNode.DeepEquals(next, current) || dryRun) return (JsonObject)next.DeepClone();
            Metadata(next)["resourceVersion"] = Next();
            _objects[kind][key] = next;
            Publish(StoreEventType.Modified, kind, next);
            return (JsonObject)next.DeepClone();
        }
    }

    private void DeleteNamespaceContents(string ns)
    {
        foreach (var kind in ResourceCatalog.All.Where(k => k.Namespaced))
        {
            foreach (var obj in _objects[kind].Values.Where(o => Namespace(o) == ns).ToList())
            {
                Delete(kind, ns, (string)obj["metadata"]!["name"]!);
            }
        }
    }

    private void CollectDependents(string ownerUid, string? ns, bool orphan)
    {
        foreach (var kind in ResourceCatalog.All.Where(k => k.Namespaced))
        {
            var dependents = _objects[kind].Values
                .Where(o => ns == null || Namespace(o) == ns)
                .Where(o => o["metadata"]?["ownerReferences"] is JsonArray refs && refs.Any(r => (string?)r?["uid"] == ownerUid))
                .ToList();
            foreach (var dependent in dependents)
            {
                var depNs = Namespace(dependent);
                var depName = (string)dependent["metadata"]!["name"]!;
                if (!orphan)
                {
                    if (_objects[kind].ContainsKey(Key(kind, depNs, depName))) Delete(kind, depNs, depName);
                    continue;
                }
                var copy = (JsonObject)dependent.DeepClone();
                var refs = (JsonArray)copy["metadata"]!["ownerReferences"]!;
                foreach (var r in refs.Where(r => (string?)r?["uid"] == ownerUid).ToList()) refs.Remove(r);
                if (refs.Count == 0) Metadata(copy).Remove("ownerReferences");
                Replace(kind, depNs, copy, statusOnly: false);
            }
        }
    }

    private void Publish(StoreEventType type, ResourceKind kind, JsonObject obj)
    {
        var e = new StoreEvent(type, kind, (JsonObject)obj.DeepClone(), _version);
        AfterMutation?.Invoke(e);
        _history.AddLast(e);
        while (_history.Count > _historyLimit)
        {
            _compactedThrough = _history.First!.Value.ResourceVersion;
            _history.RemoveFirst();
        }
        foreach (var subscription in _subscriptions) subscription.Offer(Copy(e));
    }

    private void Unsubscribe(StoreSubscription subscription)
    {
        lock (_gate) _subscriptions.Remove(subscription);
    }

    private static StoreEvent Copy(StoreEvent e) => e with { Object = (JsonObject)e.Object.DeepClone() };

    private string Next() => (++_version).ToString(CultureInfo.InvariantCulture);

    private static string RandomSuffix() => new(Enumerable.Range(0, 5).Select(_ => NameChars[Random.Shared.Next(NameChars.Length)]).ToArray());

    private static string Key(ResourceKind kind, string? ns, string name) => kind.Namespaced ? $"{ns}/{name}" : name;

    private static string? Namespace(JsonObject obj) => (string?)obj["metadata"]?["namespace"];

    private static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject meta) return meta;
        meta = new JsonObject();
        obj["metadata"] = meta;
        return meta;
    }
}

/// <summary>The result of a list: copies of the objects and the store's resourceVersion at that moment.</summary>
/// <param name="Items">The objects, ordered by namespace and name.</param>
/// <param name="ResourceVersion">The version to watch from to see every later change.</param>
public sealed record StoreList(IReadOnlyList<JsonObject> Items, long ResourceVersion);

/// <summary>Every object of a store and its resourceVersion counter, as persisted between runs.</summary>
/// <param name="ResourceVersion">The store's resourceVersion counter.</param>
/// <param name="Objects">The objects, each with apiVersion, kind and metadata.</param>
public sealed record StoreSnapshot(long ResourceVersion, IReadOnlyList<JsonObject> Objects);

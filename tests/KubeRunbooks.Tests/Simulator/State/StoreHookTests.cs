using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;
using static KubeRunbooks.Tests.Simulator.State.StateObjects;

namespace KubeRunbooks.Tests.Simulator.State;

/// <summary>The store's persistence seams the state folder relies on: the mutation hook and snapshot loading.</summary>
[TestFixture]
public sealed class StoreHookTests
{
    [Test]
    public void The_hook_sees_every_accepted_change_in_order_with_the_store_already_changed()
    {
        var store = new ObjectStore();
        var seen = new List<(StoreEventType Type, long Version, long SnapshotVersion, int Objects)>();
        store.AfterMutation = e => { var s = store.Snapshot(); seen.Add((e.Type, e.ResourceVersion, s.ResourceVersion, s.Objects.Count)); };

        store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("a", "1"));
        store.Mutate(ResourceCatalog.ConfigMaps, "default", "a", c => { c["data"]!["value"] = "2"; return c; });
        store.Mutate(ResourceCatalog.ConfigMaps, "default", "a", c => c); // no change: no new version, no call
        store.Delete(ResourceCatalog.ConfigMaps, "default", "a");

        Assert.That(seen, Is.EqualTo(new[]
        {
            (StoreEventType.Added, 4L, 4L, 4),
            (StoreEventType.Modified, 5L, 5L, 4),
            (StoreEventType.Deleted, 6L, 6L, 3),
        }));
    }

    [Test]
    public void A_failing_hook_reaches_the_caller()
    {
        var store = new ObjectStore { AfterMutation = _ => throw new IOException("disk full") };

        Assert.Throws<IOException>(() => store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("a", "1")));
    }

    [Test]
    public void A_store_loaded_from_a_snapshot_continues_its_versions_and_forgets_its_history()
    {
        var original = new ObjectStore();
        var created = original.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("a", "1"));

        var loaded = new ObjectStore(original.Snapshot());
        var next = loaded.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("b", "1"));

        Assert.Multiple(() =>
        {
            Assert.That(JsonNode.DeepEquals(loaded.Get(ResourceCatalog.ConfigMaps, "default", "a"), created), Is.True);
            Assert.That(Version(next), Is.EqualTo(original.CurrentVersion + 1));
            Assert.That(loaded.CompactedThrough, Is.EqualTo(original.CurrentVersion));
            Assert.That(() => loaded.Watch(ResourceCatalog.ConfigMaps, fromVersion: 1), Throws.TypeOf<ApiError>());
        });
    }

    [Test]
    public void A_snapshot_with_the_same_object_twice_is_refused()
    {
        var obj = new ObjectStore().Get(ResourceCatalog.Namespaces, null, "default");

        Assert.Throws<InvalidDataException>(() => _ = new ObjectStore(new StoreSnapshot(3, [obj, obj])));
    }

    [Test]
    public void A_snapshot_with_a_nameless_object_is_refused()
    {
        var obj = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject() };

        Assert.Throws<InvalidDataException>(() => _ = new ObjectStore(new StoreSnapshot(3, [obj])));
    }
}

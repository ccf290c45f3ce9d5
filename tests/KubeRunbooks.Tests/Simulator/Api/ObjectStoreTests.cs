using System.Text.Json.Nodes;
using k8s.Models;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Tests.Simulator.Api;

/// <summary>The store's in-process API, as controllers use it.</summary>
[TestFixture]
public sealed class ObjectStoreTests
{
    private static JsonObject Named(string name, Dictionary<string, string>? labels = null)
    {
        var meta = new JsonObject { ["name"] = name };
        if (labels != null) meta["labels"] = new JsonObject(labels.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        return new JsonObject { ["metadata"] = meta };
    }

    [Test]
    public async Task Subscription_sees_changes_after_the_list_in_order()
    {
        var store = new ObjectStore();
        var list = store.List(ResourceCatalog.Pods, "default");
        using var subscription = store.Watch(ResourceCatalog.Pods, "default", list.ResourceVersion);

        store.Create(ResourceCatalog.Pods, "default", Named("a"));
        store.Mutate(ResourceCatalog.Pods, "default", "a", p => { p["status"]!["phase"] = "Running"; return p; }, statusOnly: true);
        store.Delete(ResourceCatalog.Pods, "default", "a");

        var types = new List<StoreEventType>();
        for (var i = 0; i < 3; i++) types.Add((await subscription.Events.ReadAsync()).Type);
        Assert.That(types, Is.EqualTo(new[] { StoreEventType.Added, StoreEventType.Modified, StoreEventType.Deleted }));
    }

    [Test]
    public void A_defaulted_grace_period_reads_as_the_int64_it_is()
    {
        // The pod controller reads it as a long when the pod is deleted; an int default made that throw, so a pod created
        // without the field (a runbook's restore pod) was never stopped.
        var store = new ObjectStore();

        var pod = store.Create(ResourceCatalog.Pods, "default", Named("p"));

        Assert.That((long?)pod["spec"]!["terminationGracePeriodSeconds"], Is.EqualTo(30));
    }

    [Test]
    public void Subscription_of_one_kind_ignores_other_kinds()
    {
        var store = new ObjectStore();
        using var subscription = store.Watch(ResourceCatalog.Pods, fromVersion: store.CurrentVersion);

        store.Create(ResourceCatalog.ConfigMaps, "default", Named("c"));

        Assert.That(subscription.Events.TryRead(out _), Is.False);
    }

    [Test]
    public void Watch_from_a_compacted_version_is_gone()
    {
        var store = new ObjectStore(historyLimit: 2);
        var start = store.CurrentVersion;
        for (var i = 0; i < 3; i++) store.Create(ResourceCatalog.ConfigMaps, "default", Named($"c{i}"));

        var e = Assert.Throws<ApiError>(() => store.Watch(ResourceCatalog.ConfigMaps, "default", start));

        Assert.Multiple(() =>
        {
            Assert.That(e!.Code, Is.EqualTo(410));
            Assert.That(e.Reason, Is.EqualTo("Expired"));
        });
    }

    [Test]
    public void An_update_that_changes_nothing_keeps_the_version()
    {
        var store = new ObjectStore();
        var created = store.Create(ResourceCatalog.ConfigMaps, "default", Named("c"));

        var updated = store.Update(ResourceCatalog.ConfigMaps, "default", created);

        Assert.That(updated["metadata"]!["resourceVersion"]!.GetValue<string>(), Is.EqualTo(created["metadata"]!["resourceVersion"]!.GetValue<string>()));
    }

    [Test]
    public void Deleting_a_namespace_deletes_its_objects()
    {
        var store = new ObjectStore();
        store.Create(ResourceCatalog.Namespaces, null, Named("vantiq"));
        store.Create(ResourceCatalog.ConfigMaps, "vantiq", Named("c"));
        store.Create(ResourceCatalog.ConfigMaps, "default", Named("keep"));

        store.Delete(ResourceCatalog.Namespaces, null, "vantiq");

        Assert.Multiple(() =>
        {
            Assert.That(store.List(ResourceCatalog.ConfigMaps, "vantiq").Items, Is.Empty);
            Assert.That(store.List(ResourceCatalog.ConfigMaps, "default").Items, Has.Count.EqualTo(1));
            Assert.Throws<ApiError>(() => store.Create(ResourceCatalog.ConfigMaps, "vantiq", Named("again")));
        });
    }

    [Test]
    public void Typed_helpers_round_trip_models()
    {
        var store = new ObjectStore();
        store.Create(ResourceCatalog.StatefulSets, "default", new V1StatefulSet { Metadata = new() { Name = "vantiq" }, Spec = new() { Replicas = 3 } });

        var sts = store.TryGet<V1StatefulSet>(ResourceCatalog.StatefulSets, "default", "vantiq")!;
        sts.Status = new V1StatefulSetStatus { Replicas = 3, ReadyReplicas = 3, ObservedGeneration = 1 };
        var updated = store.UpdateStatus(ResourceCatalog.StatefulSets, "default", sts);

        Assert.Multiple(() =>
        {
            Assert.That(updated.Status.ReadyReplicas, Is.EqualTo(3));
            Assert.That(updated.Spec.Replicas, Is.EqualTo(3));
            Assert.That(store.ListAs<V1StatefulSet>(ResourceCatalog.StatefulSets).Single().Metadata.Name, Is.EqualTo("vantiq"));
        });
    }

    [TestCase("app=web", true)]
    [TestCase("app==web,tier=front", true)]
    [TestCase("app!=web", false)]
    [TestCase("app in (db, web)", true)]
    [TestCase("app notin (web)", false)]
    [TestCase("tier", true)]
    [TestCase("!tier", false)]
    [TestCase("missing", false)]
    public void Label_selectors_match_as_the_api_does(string selector, bool matches)
    {
        var labels = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" };

        Assert.That(LabelSelector.Parse(selector).Matches(labels), Is.EqualTo(matches));
    }

    [Test]
    public void Update_with_a_stale_version_is_a_conflict_naming_the_resource()
    {
        var store = new ObjectStore();
        var created = store.Create(ResourceCatalog.StatefulSets, "default", Named("vantiq"));
        store.Mutate(ResourceCatalog.StatefulSets, "default", "vantiq", s => { s["spec"] = new JsonObject { ["replicas"] = 2 }; return s; });

        var e = Assert.Throws<ApiError>(() => store.Update(ResourceCatalog.StatefulSets, "default", created));

        Assert.That(e!.Message, Does.StartWith("Operation cannot be fulfilled on statefulsets.apps \"vantiq\""));
    }
}

using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.State;
using KubeRunbooks.Simulator.Store;
using KubeRunbooks.Tests.Support;
using static KubeRunbooks.Tests.Simulator.State.StateObjects;

namespace KubeRunbooks.Tests.Simulator.State;

[TestFixture]
public sealed class LocalClusterStateTests
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = NewFolder();

    [TearDown]
    public void RemoveFolder() => DeleteFolder(_folder);

    [Test]
    public void First_run_seeds_the_scenario_and_writes_the_state_file()
    {
        using var state = LocalClusterState.Open(_folder, NoWait);
        Assert.That(state.HasState, Is.False);

        var store = state.LoadOrSeed(SeedScenario);

        Assert.Multiple(() =>
        {
            Assert.That(state.HasState, Is.True);
            Assert.That(store.TryGet(ResourceCatalog.ConfigMaps, "default", "scenario")?["data"]?["value"]?.GetValue<string>(), Is.EqualTo("initial"));
            Assert.That(Directory.Exists(state.RuntimeFolder), Is.True);
        });
    }

    [Test]
    public void Objects_and_resource_version_round_trip_across_two_stores()
    {
        JsonObject created;
        long version;
        using (var first = LocalClusterState.Open(_folder, NoWait))
        {
            var store = first.LoadOrSeed(SeedScenario);
            created = store.Create(ResourceCatalog.Secrets, "default", Secret("vantiq-db", "c2VjcmV0"));
            store.Mutate(ResourceCatalog.ConfigMaps, "default", "scenario", c => { c["data"]!["value"] = "changed"; return c; });
            store.Create(ResourceCatalog.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "scratch" } });
            store.Delete(ResourceCatalog.Namespaces, null, "scratch");
            version = store.CurrentVersion;
        }

        var seeded = false;
        using var second = LocalClusterState.Open(_folder, NoWait);
        var reloaded = second.LoadOrSeed(_ => seeded = true);

        Assert.Multiple(() =>
        {
            Assert.That(seeded, Is.False, "a second run must load, not seed");
            Assert.That(reloaded.CurrentVersion, Is.EqualTo(version));
            Assert.That(JsonNode.DeepEquals(reloaded.Get(ResourceCatalog.Secrets, "default", "vantiq-db"), created), Is.True);
            Assert.That(reloaded.Get(ResourceCatalog.ConfigMaps, "default", "scenario")["data"]!["value"]!.GetValue<string>(), Is.EqualTo("changed"));
            Assert.That(reloaded.TryGet(ResourceCatalog.Namespaces, null, "scratch"), Is.Null);
        });
    }

    [Test]
    public void Resource_versions_keep_increasing_across_runs()
    {
        var seen = new List<long>();
        for (var run = 0; run < 3; run++)
        {
            using var state = LocalClusterState.Open(_folder, NoWait);
            var store = state.LoadOrSeed(SeedScenario);
            seen.Add(Version(store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap($"run-{run}", "x"))));
            seen.Add(Version(store.Mutate(ResourceCatalog.ConfigMaps, "default", "scenario", c => { c["data"]!["value"] = $"run-{run}"; return c; })));
        }

        Assert.That(seen, Is.Ordered.Ascending.And.Unique);
    }

    [Test]
    public void Load_resets_unfinished_pods_as_after_a_node_restart_and_keeps_finished_ones()
    {
        JsonObject jobBefore;
        JsonObject succeededBefore;
        using (var first = LocalClusterState.Open(_folder, NoWait))
        {
            var store = first.LoadOrSeed(SeedScenario);
            store.Create(ResourceCatalog.Pods, "default", Pod("vantiq-0"));
            store.Mutate(ResourceCatalog.Pods, "default", "vantiq-0", p => { p["status"] = RunningStatus(); return p; }, statusOnly: true);
            store.Create(ResourceCatalog.Pods, "default", Pod("backup-x7k2p"));
            succeededBefore = store.Mutate(ResourceCatalog.Pods, "default", "backup-x7k2p", p => { p["status"] = SucceededStatus(); return p; }, statusOnly: true);
            store.Create(ResourceCatalog.Jobs, "default", CompletedJob("mongobackup-manual"));
            jobBefore = store.Mutate(ResourceCatalog.Jobs, "default", "mongobackup-manual", j => { j["status"] = CompletedJobStatus(); return j; }, statusOnly: true);
            store.Create(ResourceCatalog.StatefulSets, "default", StatefulSet("vantiq"));
            store.Mutate(ResourceCatalog.StatefulSets, "default", "vantiq", s => { s["status"] = new JsonObject { ["replicas"] = 3, ["readyReplicas"] = 3, ["availableReplicas"] = 3 }; return s; }, statusOnly: true);
        }

        using var second = LocalClusterState.Open(_folder, NoWait);
        var reloaded = second.LoadOrSeed(SeedScenario);
        var pod = reloaded.Get(ResourceCatalog.Pods, "default", "vantiq-0");
        var status = (JsonObject)pod["status"]!;
        var conditions = ((JsonArray)status["conditions"]!).OfType<JsonObject>().ToDictionary(c => (string)c["type"]!, c => (string)c["status"]!);
        var sts = reloaded.Get(ResourceCatalog.StatefulSets, "default", "vantiq");

        Assert.Multiple(() =>
        {
            Assert.That((string?)status["phase"], Is.EqualTo("Pending"));
            Assert.That(status.ContainsKey("containerStatuses"), Is.False);
            Assert.That(status.ContainsKey("podIP"), Is.False);
            Assert.That(status.ContainsKey("startTime"), Is.False);
            Assert.That((string?)status["hostIP"], Is.EqualTo("127.0.0.1"));
            Assert.That(conditions["Ready"], Is.EqualTo("False"));
            Assert.That(conditions["ContainersReady"], Is.EqualTo("False"));
            Assert.That(conditions["PodScheduled"], Is.EqualTo("True"));
            Assert.That(pod["spec"]!["containers"]![0]!["image"]!.GetValue<string>(), Is.EqualTo("vantiq/vantiq-server:1.30.10"));
            Assert.That(JsonNode.DeepEquals(reloaded.Get(ResourceCatalog.Pods, "default", "backup-x7k2p"), succeededBefore), Is.True, "a finished pod is untouched");
            Assert.That(JsonNode.DeepEquals(reloaded.Get(ResourceCatalog.Jobs, "default", "mongobackup-manual"), jobBefore), Is.True, "a finished Job stays finished");
            Assert.That(sts["status"]!["readyReplicas"]!.ToJsonString(), Is.EqualTo("0"));
            Assert.That(sts["status"]!["availableReplicas"]!.ToJsonString(), Is.EqualTo("0"));
        });
    }

    [Test]
    public void The_node_restart_reset_is_itself_persisted_with_new_versions()
    {
        long runningVersion;
        using (var first = LocalClusterState.Open(_folder, NoWait))
        {
            var store = first.LoadOrSeed(SeedScenario);
            store.Create(ResourceCatalog.Pods, "default", Pod("vantiq-0"));
            runningVersion = Version(store.Mutate(ResourceCatalog.Pods, "default", "vantiq-0", p => { p["status"] = RunningStatus(); return p; }, statusOnly: true));
        }

        var afterRestart = StateFile.Read(Path.Combine(_folder, StateFile.FileName));
        using (var second = LocalClusterState.Open(_folder, NoWait)) second.LoadOrSeed(SeedScenario);
        var persisted = StateFile.Read(Path.Combine(_folder, StateFile.FileName))!;
        var pod = persisted.Objects.Single(o => (string?)o["kind"] == "Pod");

        Assert.Multiple(() =>
        {
            Assert.That(afterRestart!.Objects.Single(o => (string?)o["kind"] == "Pod")["status"]!["phase"]!.GetValue<string>(), Is.EqualTo("Running"));
            Assert.That((string?)pod["status"]!["phase"], Is.EqualTo("Pending"));
            Assert.That(Version(pod), Is.GreaterThan(runningVersion));
        });
    }

    [Test]
    public void Reset_puts_the_seed_back_wipes_volume_folders_and_keeps_versions_increasing()
    {
        long before;
        string pvcFile;
        using (var first = LocalClusterState.Open(_folder, NoWait))
        {
            var store = first.LoadOrSeed(SeedScenario);
            store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("left-by-a-run", "x"));
            before = store.CurrentVersion;
            var pvc = Path.Combine(first.RuntimeFolder, "pvc", "default", "data-postgres-0");
            Directory.CreateDirectory(pvc);
            pvcFile = Path.Combine(pvc, "PG_VERSION");
            File.WriteAllText(pvcFile, "16");
            Directory.CreateDirectory(Path.Combine(first.RuntimeFolder, "pods", "default", "vantiq-0", "volumes", "tmp"));
        }

        using var second = LocalClusterState.Open(_folder, NoWait);
        var reset = second.Reset(s => s.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("scenario", "again")));

        Assert.Multiple(() =>
        {
            Assert.That(reset.TryGet(ResourceCatalog.ConfigMaps, "default", "left-by-a-run"), Is.Null);
            Assert.That((string?)reset.Get(ResourceCatalog.ConfigMaps, "default", "scenario")["data"]!["value"], Is.EqualTo("again"));
            Assert.That(File.Exists(pvcFile), Is.False);
            Assert.That(Directory.GetFileSystemEntries(second.RuntimeFolder), Is.Empty);
            Assert.That(reset.List(ResourceCatalog.ConfigMaps).Items.Select(Version), Has.All.GreaterThan(before));
            Assert.That(reset.CurrentVersion, Is.GreaterThan(before));
            Assert.That(StateFile.Read(second.StateFilePath)!.ResourceVersion, Is.EqualTo(reset.CurrentVersion));
        });
    }

    [Test]
    public void Load_keeps_pvc_folders()
    {
        string pvcFile;
        using (var first = LocalClusterState.Open(_folder, NoWait))
        {
            first.LoadOrSeed(SeedScenario);
            var pvc = Path.Combine(first.RuntimeFolder, "pvc", "default", "data-postgres-0");
            Directory.CreateDirectory(pvc);
            pvcFile = Path.Combine(pvc, "PG_VERSION");
            File.WriteAllText(pvcFile, "16");
        }

        using var second = LocalClusterState.Open(_folder, NoWait);
        second.LoadOrSeed(SeedScenario);

        Assert.That(File.ReadAllText(pvcFile), Is.EqualTo("16"));
    }

    [Test]
    public void Reset_recovers_from_a_corrupt_state_file()
    {
        using (var first = LocalClusterState.Open(_folder, NoWait)) first.LoadOrSeed(SeedScenario);
        File.WriteAllText(Path.Combine(_folder, StateFile.FileName), "garbage");

        using var second = LocalClusterState.Open(_folder, NoWait);
        Assert.Throws<StateFileCorruptException>(() => second.LoadOrSeed(SeedScenario));
        var store = second.Reset(SeedScenario);

        Assert.Multiple(() =>
        {
            Assert.That(store.TryGet(ResourceCatalog.ConfigMaps, "default", "scenario"), Is.Not.Null);
            Assert.That(StateFile.Read(second.StateFilePath)!.ResourceVersion, Is.EqualTo(store.CurrentVersion));
        });
    }

    [Test]
    public void A_corrupt_state_file_is_refused_and_left_as_it_was()
    {
        using (var first = LocalClusterState.Open(_folder, NoWait)) first.LoadOrSeed(SeedScenario);
        var path = Path.Combine(_folder, StateFile.FileName);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var seeded = false;

        using var second = LocalClusterState.Open(_folder, NoWait);
        var error = Assert.Throws<StateFileCorruptException>(() => second.LoadOrSeed(_ => seeded = true));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("./build.sh --target=ResetLocalCluster"));
            Assert.That(error.Message, Does.Not.Contain("\n"));
            Assert.That(seeded, Is.False, "a corrupt state must never be silently replaced");
            Assert.That(File.ReadAllBytes(path), Is.EqualTo(bytes[..(bytes.Length / 2)]));
        });
    }

    [Test]
    public void A_store_is_no_longer_persisted_once_the_folder_is_closed()
    {
        ObjectStore store;
        using (var state = LocalClusterState.Open(_folder, NoWait)) store = state.LoadOrSeed(SeedScenario);
        store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("after-close", "x"));

        var persisted = StateFile.Read(Path.Combine(_folder, StateFile.FileName))!;

        Assert.That(persisted.Objects.Select(o => (string?)o["metadata"]!["name"]), Does.Not.Contain("after-close"));
    }

    [Test]
    public void An_earlier_store_does_not_overwrite_a_reset()
    {
        using var state = LocalClusterState.Open(_folder, NoWait);
        var old = state.LoadOrSeed(SeedScenario);
        var fresh = state.Reset(SeedScenario);
        old.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("from-the-old-store", "x"));
        fresh.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("from-the-new-store", "x"));

        var names = StateFile.Read(state.StateFilePath)!.Objects.Select(o => (string?)o["metadata"]!["name"]).ToList();

        Assert.That(names, Does.Contain("from-the-new-store").And.Not.Contain("from-the-old-store"));
    }

    [Test]
    public void An_unknown_kind_in_an_intact_file_is_refused_with_the_reset_hint()
    {
        var path = Path.Combine(_folder, StateFile.FileName);
        StateFile.Write(path, new StoreSnapshot(5, [new JsonObject { ["apiVersion"] = "example.com/v1", ["kind"] = "Widget", ["metadata"] = new JsonObject { ["name"] = "w" } }]));

        using var state = LocalClusterState.Open(_folder, NoWait);
        var error = Assert.Throws<StateFileCorruptException>(() => state.LoadOrSeed(SeedScenario));

        Assert.That(error!.Message, Does.Contain("Widget").And.Contain("ResetLocalCluster"));
    }
}

using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeRunbooks.Simulator.Store;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Controllers;

/// <summary>The StatefulSet controller, driven through KubernetesClient; event order observed on the store's watch.</summary>
public sealed class StatefulSetControllerTests : ScenarioClusterFixture
{
    [Test]
    public async Task The_vantiq_scenario_starts_with_every_statefulset_pod_ready()
    {
        await Eventually.UntilAsync(async () => (await PodsAsync("vantiq", "app=vantiq")).Count(IsReady) == 3, "3 vantiq pods are ready");
        var sts = await Client.AppsV1.ReadNamespacedStatefulSetAsync("vision-analytics", "vantiq");
        await Eventually.UntilAsync(async () => (await Client.AppsV1.ReadNamespacedStatefulSetAsync("vision-analytics", "vantiq")).Status.ReadyReplicas == 2, "vision-analytics is ready");
        Assert.That(sts.Spec.UpdateStrategy.RollingUpdate.Partition, Is.Zero);
    }

    [Test]
    public async Task Scale_up_creates_pods_in_order_each_after_the_previous_is_ready()
    {
        var ns = await NewNamespaceAsync();
        using var events = Cluster.Store.Watch(ResourceCatalog.Pods, ns);
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(StatefulSet("web", 3), ns);
        await WaitForStatusAsync(ns, "web", s => s.ReadyReplicas == 3);

        var seen = Drain(events);
        var added = seen.Where(e => e.Type == StoreEventType.Added).Select(e => Name(e.Object)).ToList();
        Assert.That(added, Is.EqualTo(new[] { "web-0", "web-1", "web-2" }));
        for (var i = 1; i < 3; i++)
        {
            var createdAt = seen.FindIndex(e => e.Type == StoreEventType.Added && Name(e.Object) == $"web-{i}");
            var previousReadyAt = seen.FindIndex(e => Name(e.Object) == $"web-{i - 1}" && Ready(e.Object));
            Assert.That(previousReadyAt, Is.GreaterThanOrEqualTo(0).And.LessThan(createdAt), $"web-{i} was created before web-{i - 1} was Ready");
        }
    }

    [Test]
    public async Task Scale_down_deletes_from_the_highest_ordinal()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(StatefulSet("db", 3), ns);
        await WaitForStatusAsync(ns, "db", s => s.ReadyReplicas == 3);
        using var events = Cluster.Store.Watch(ResourceCatalog.Pods, ns, Cluster.Store.CurrentVersion);

        await Client.AppsV1.PatchNamespacedStatefulSetScaleAsync(new V1Patch("{\"spec\":{\"replicas\":1}}", V1Patch.PatchType.MergePatch), "db", ns);
        await WaitForStatusAsync(ns, "db", s => s.Replicas == 1 && s.ReadyReplicas == 1);

        var deleted = Drain(events).Where(e => e.Type == StoreEventType.Deleted).Select(e => Name(e.Object)).ToList();
        Assert.That(deleted, Is.EqualTo(new[] { "db-2", "db-1" }));
        var recorded = (await Client.CoreV1.ListNamespacedEventAsync(ns)).Items
            .Where(e => e.InvolvedObject.Kind == "StatefulSet" && e.InvolvedObject.Name == "db")
            .Select(e => $"{e.Reason}: {e.Message}")
            .ToList();
        Assert.That(recorded, Is.SupersetOf(new[]
        {
            "SuccessfulCreate: create Pod db-0 in StatefulSet db successful",
            "SuccessfulCreate: create Pod db-2 in StatefulSet db successful",
            "SuccessfulDelete: delete Pod db-2 in StatefulSet db successful",
            "SuccessfulDelete: delete Pod db-1 in StatefulSet db successful",
        }));
        Assert.That((await PodsAsync(ns, "app=db")).Select(p => p.Metadata.Name), Is.EqualTo(new[] { "db-0" }));
    }

    [Test]
    public async Task A_new_image_rolls_pods_from_the_highest_ordinal_and_moves_the_revisions()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(StatefulSet("app", 3, "example/app:1.0"), ns);
        var before = await WaitForStatusAsync(ns, "app", s => s.ReadyReplicas == 3 && s.CurrentRevision == s.UpdateRevision);
        var oldRevision = before.Status.UpdateRevision;
        Assert.That((await PodsAsync(ns, "app=app")).Select(p => p.Metadata.Labels["controller-revision-hash"]), Is.All.EqualTo(oldRevision));
        using var events = Cluster.Store.Watch(ResourceCatalog.Pods, ns, Cluster.Store.CurrentVersion);

        var patch = "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"example/app:2.0\"}]}}}}";
        await Client.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), "app", ns);
        var after = await WaitForStatusAsync(ns, "app", s => s.UpdateRevision != oldRevision && s.CurrentRevision == s.UpdateRevision && s.ReadyReplicas == 3);

        Assert.That(after.Status.ObservedGeneration, Is.EqualTo(after.Metadata.Generation));
        Assert.That(after.Status.UpdatedReplicas, Is.EqualTo(3));
        Assert.That(after.Status.CurrentReplicas, Is.EqualTo(3));
        var pods = await PodsAsync(ns, "app=app");
        Assert.That(pods.Select(p => p.Spec.Containers[0].Image), Is.All.EqualTo("example/app:2.0"));
        Assert.That(pods.Select(p => p.Metadata.Labels["controller-revision-hash"]), Is.All.EqualTo(after.Status.UpdateRevision));
        var deleted = Drain(events).Where(e => e.Type == StoreEventType.Deleted).Select(e => Name(e.Object)).ToList();
        Assert.That(deleted, Is.EqualTo(new[] { "app-2", "app-1", "app-0" }));
    }

    [Test]
    public async Task The_restartedAt_annotation_replaces_every_pod_under_a_new_revision()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(StatefulSet("svc", 2), ns);
        var before = await WaitForStatusAsync(ns, "svc", s => s.ReadyReplicas == 2);
        var oldUids = (await PodsAsync(ns, "app=svc")).Select(p => p.Metadata.Uid).ToList();

        var patch = "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"2026-01-01T00:00:00Z\"}}}}}";
        await Client.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), "svc", ns);
        var after = await WaitForStatusAsync(ns, "svc", s => s.UpdateRevision != before.Status.UpdateRevision && s.CurrentRevision == s.UpdateRevision && s.ReadyReplicas == 2);

        var pods = await PodsAsync(ns, "app=svc");
        Assert.That(pods.Select(p => p.Metadata.Uid), Has.None.AnyOf(oldUids.ToArray()));
        Assert.That(pods.Select(p => p.Metadata.Annotations["kubectl.kubernetes.io/restartedAt"]), Is.All.EqualTo("2026-01-01T00:00:00Z"));
        Assert.That(after.Metadata.Generation, Is.EqualTo(before.Metadata.Generation + 1));
    }

    [Test]
    public async Task A_failing_init_container_leaves_the_pod_in_Init_Error_and_stops_the_ordered_start()
    {
        var ns = await NewNamespaceAsync();
        var init = new V1Container { Name = "migrate", Image = "busybox:1.36", Command = ["sh", "-c", "echo migration failed >&2; exit 3"] };
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(StatefulSet("broken", 2, init: init), ns);

        await Eventually.UntilAsync(async () => (await PodsAsync(ns, "app=broken")).SingleOrDefault()?.Status?.InitContainerStatuses?[0].State.Terminated != null, "the init container ended");
        var pod = (await PodsAsync(ns, "app=broken")).Single();
        var terminated = pod.Status.InitContainerStatuses[0].State.Terminated;
        Assert.That(terminated.ExitCode, Is.EqualTo(3));
        Assert.That(terminated.Reason, Is.EqualTo("Error"));
        Assert.That(pod.Status.ContainerStatuses[0].State.Waiting.Reason, Is.EqualTo("PodInitializing"));
        Assert.That(IsReady(pod), Is.False);
        Assert.That(pod.Status.Conditions.Single(c => c.Type == "Initialized").Status, Is.EqualTo("False"));

        // What kubectl's STATUS column turns into Init:Error (the server answers plain lists, not Tables).
        var reason = (await Kubectl.RunAsync("get", "pod", "broken-0", "-n", ns, "-o", "jsonpath={.status.initContainerStatuses[0].state.terminated.reason}:{.status.phase}")).EnsureSuccess().Stdout;
        Assert.That(reason, Is.EqualTo("Error:Pending"));
        var sts = await Client.AppsV1.ReadNamespacedStatefulSetAsync("broken", ns);
        Assert.That(sts.Status.ReadyReplicas ?? 0, Is.Zero);
        Assert.That((await PodsAsync(ns, "app=broken")).Count, Is.EqualTo(1), "broken-1 must wait for broken-0 to be Ready");
    }

    [Test]
    public async Task A_never_ready_pod_runs_but_blocks_the_next_ordinal()
    {
        var ns = await NewNamespaceAsync();
        Cluster.Faults.NeverReadyPods.Add($"^stuck-0$");
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(StatefulSet("stuck", 2), ns);

        await Eventually.UntilAsync(async () => (await PodsAsync(ns, "app=stuck")).SingleOrDefault()?.Status?.Phase == "Running", "stuck-0 runs");
        var pod = (await PodsAsync(ns, "app=stuck")).Single();
        Assert.That(pod.Status.ContainerStatuses[0].State.Running, Is.Not.Null);
        Assert.That(IsReady(pod), Is.False);
        Assert.That(pod.Status.Conditions.Single(c => c.Type == "ContainersReady").Status, Is.EqualTo("False"));
        var sts = await Client.AppsV1.ReadNamespacedStatefulSetAsync("stuck", ns);
        Assert.That(sts.Status.Replicas, Is.EqualTo(1));
        Assert.That(sts.Status.ReadyReplicas ?? 0, Is.Zero);
    }

    [Test]
    public async Task Deleting_the_statefulset_deletes_its_pods_and_stops_their_processes()
    {
        var ns = await NewNamespaceAsync();
        // A container's pid is its PID namespace's: each pod's sleep is found on the machine by a unique argument.
        var token = "600." + Random.Shared.Next(100000, 999999);
        var sts = StatefulSet("gone", 2);
        sts.Spec.Template.Spec.Containers[0].Command = ["sh", "-c", $"exec sleep {token}"];
        // sleep leaves SIGTERM to its default, which a container's first process ignores, as on a real node: the kubelet
        // kills it when the grace period ends. A short one keeps the test short.
        sts.Spec.Template.Spec.TerminationGracePeriodSeconds = 2;
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(sts, ns);
        await WaitForStatusAsync(ns, "gone", s => s.ReadyReplicas == 2);
        List<int> SleepPids() => Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => int.TryParse(n, out _)).Select(int.Parse!)
            .Where(pid => { try { return File.ReadAllText($"/proc/{pid}/cmdline") == $"sleep\0{token}\0"; } catch (IOException) { return false; } }).ToList();
        await Eventually.UntilAsync(() => Task.FromResult(SleepPids().Count == 2), "both pods' processes run");
        var pids = SleepPids();
        Assert.That(pids, Has.Count.EqualTo(2));
        Assert.That(pids.Select(Alive), Is.All.True);

        await Client.AppsV1.DeleteNamespacedStatefulSetAsync("gone", ns);

        Assert.That(await PodsAsync(ns, "app=gone"), Is.Empty);
        await Eventually.UntilAsync(() => Task.FromResult(!pids.Any(Alive)), "the pods' processes have ended");
        var logs = await Kubectl.RunAsync("logs", "-n", ns, "gone-0");
        Assert.That(logs.ExitCode, Is.Not.Zero);
        Assert.That(logs.Stderr, Does.Contain("not found"));
    }

    [Test]
    public async Task Volume_claim_templates_get_one_claim_per_ordinal_mounted_in_the_pod()
    {
        var ns = await NewNamespaceAsync();
        var sts = StatefulSet("data", 2);
        sts.Spec.VolumeClaimTemplates =
        [
            new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "store" }, Spec = new V1PersistentVolumeClaimSpec { AccessModes = ["ReadWriteOnce"] } },
        ];
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(sts, ns);
        await WaitForStatusAsync(ns, "data", s => s.ReadyReplicas == 2);

        var claims = (await Client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(ns)).Items.Select(c => c.Metadata.Name).Order().ToList();
        Assert.That(claims, Is.EqualTo(new[] { "store-data-0", "store-data-1" }));
        var pod = await Client.CoreV1.ReadNamespacedPodAsync("data-1", ns);
        Assert.That(pod.Spec.Volumes.Single(v => v.Name == "store").PersistentVolumeClaim.ClaimName, Is.EqualTo("store-data-1"));
    }

    private async Task<V1StatefulSet> WaitForStatusAsync(string ns, string name, Func<V1StatefulSetStatus, bool> condition)
    {
        V1StatefulSet? sts = null;
        await Eventually.UntilAsync(async () =>
        {
            sts = await Client.AppsV1.ReadNamespacedStatefulSetAsync(name, ns);
            return sts.Status != null && condition(sts.Status);
        }, $"statefulset {name} reaches the expected status");
        return sts!;
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static List<StoreEvent> Drain(StoreSubscription subscription)
    {
        var list = new List<StoreEvent>();
        while (subscription.Events.TryRead(out var e)) list.Add(e);
        return list;
    }

    private static string Name(JsonObject obj) => (string?)obj["metadata"]?["name"] ?? "";

    private static bool Ready(JsonObject pod) =>
        pod["status"]?["conditions"] is JsonArray conditions && conditions.Any(c => (string?)c?["type"] == "Ready" && (string?)c?["status"] == "True");
}

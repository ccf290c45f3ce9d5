using k8s;
using k8s.Models;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Controllers;

/// <summary>The Deployment controller through KubernetesClient and kubectl.</summary>
public sealed class DeploymentControllerTests : ScenarioClusterFixture
{
    [Test]
    public async Task Pods_are_created_with_the_template_hash_and_replaced_on_a_template_change()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(TestObjects.Deployment("api", 2, "example/api:1"), ns);
        await Eventually.UntilAsync(async () => (await Client.AppsV1.ReadNamespacedDeploymentAsync("api", ns)).Status?.ReadyReplicas == 2, "api is ready");
        var first = await PodsAsync(ns, "app=api");
        Assert.That(first, Has.Count.EqualTo(2));
        var hash = first[0].Metadata.Labels["pod-template-hash"];
        Assert.That(first.Select(p => p.Metadata.Name), Is.All.Match($"^api-{hash}-[a-z0-9]{{5}}$"));

        var patch = "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"example/api:2\"}]}}}}";
        await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), "api", ns);
        var status = (await Kubectl.RunAsync("rollout", "status", "deployment/api", "-n", ns, "--timeout=60s")).EnsureSuccess().Stdout;

        Assert.That(status, Does.Contain("successfully rolled out"));
        var second = await PodsAsync(ns, "app=api");
        Assert.That(second, Has.Count.EqualTo(2));
        Assert.That(second.Select(p => p.Spec.Containers[0].Image), Is.All.EqualTo("example/api:2"));
        Assert.That(second.Select(p => p.Metadata.Labels["pod-template-hash"]), Is.All.Not.EqualTo(hash));
    }

    [Test]
    public async Task Scaling_a_deployment_to_zero_deletes_its_pods()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(TestObjects.Deployment("worker", 2, "example/worker:1"), ns);
        await Eventually.UntilAsync(async () => (await PodsAsync(ns, "app=worker")).Count(IsReady) == 2, "2 workers are ready");

        (await Kubectl.RunAsync("scale", "deployment/worker", "-n", ns, "--replicas=0")).EnsureSuccess();

        await Eventually.UntilAsync(async () => (await PodsAsync(ns, "app=worker")).Count == 0, "the workers are gone");
        var deployment = await Client.AppsV1.ReadNamespacedDeploymentAsync("worker", ns);
        Assert.That(deployment.Status.Replicas ?? 0, Is.Zero);
    }

    [Test]
    public async Task A_deployment_owns_a_replicaset_that_owns_the_pods()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(TestObjects.Deployment("shop", 2, "example/shop:1"), ns);
        await Eventually.UntilAsync(async () => (await Client.AppsV1.ReadNamespacedDeploymentAsync("shop", ns)).Status?.AvailableReplicas == 2, "shop is available");

        var deployment = await Client.AppsV1.ReadNamespacedDeploymentAsync("shop", ns);
        var rs = (await Client.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items.Single();
        var pods = await PodsAsync(ns, "app=shop");
        var hash = rs.Metadata.Labels["pod-template-hash"];
        var table = (await Kubectl.RunAsync("get", "rs", "-n", ns)).EnsureSuccess().Stdout;
        Assert.Multiple(() =>
        {
            Assert.That(rs.Metadata.Name, Is.EqualTo($"shop-{hash}"));
            Assert.That(rs.Metadata.OwnerReferences.Single().Uid, Is.EqualTo(deployment.Metadata.Uid));
            Assert.That(rs.Metadata.Annotations["deployment.kubernetes.io/revision"], Is.EqualTo("1"));
            Assert.That(deployment.Metadata.Annotations["deployment.kubernetes.io/revision"], Is.EqualTo("1"));
            Assert.That(rs.Spec.Selector.MatchLabels["pod-template-hash"], Is.EqualTo(hash));
            Assert.That(pods.Select(p => p.Metadata.OwnerReferences.Single().Uid), Is.All.EqualTo(rs.Metadata.Uid));
            Assert.That(pods.Select(p => p.Metadata.Name), Is.All.Match($"^shop-{hash}-[a-z0-9]{{5}}$"));
            Assert.That(table, Does.Match($@"NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\nshop-{hash}\s+2\s+2\s+2\s+\d+s"));
        });
    }

    [Test]
    public async Task Rollout_history_and_undo_go_back_to_the_previous_template()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(TestObjects.Deployment("web", 2, "example/web:1"), ns);
        (await Kubectl.RunAsync("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s")).EnsureSuccess();
        (await Kubectl.RunAsync("set", "image", "deployment/web", "-n", ns, "app=example/web:2")).EnsureSuccess();
        (await Kubectl.RunAsync("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s")).EnsureSuccess();

        var history = (await Kubectl.RunAsync("rollout", "history", "deployment/web", "-n", ns)).EnsureSuccess().Stdout;
        var revision1 = (await Kubectl.RunAsync("rollout", "history", "deployment/web", "-n", ns, "--revision=1")).EnsureSuccess().Stdout;
        var undo = (await Kubectl.RunAsync("rollout", "undo", "deployment/web", "-n", ns)).EnsureSuccess().Stdout;
        var status = (await Kubectl.RunAsync("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s")).EnsureSuccess().Stdout;
        var after = (await Kubectl.RunAsync("rollout", "history", "deployment/web", "-n", ns)).EnsureSuccess().Stdout;

        var sets = (await Client.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items;
        var pods = await PodsAsync(ns, "app=web");
        Assert.Multiple(() =>
        {
            Assert.That(history, Does.Match(@"deployment.apps/web\s*\nREVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n"));
            Assert.That(revision1, Does.Contain("Image:\texample/web:1").Or.Match(@"Image:\s+example/web:1"));
            Assert.That(undo.Trim(), Is.EqualTo("deployment.apps/web rolled back"));
            Assert.That(status, Does.Contain("deployment \"web\" successfully rolled out"));
            Assert.That(after, Does.Match(@"REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>\n"), "the first template's ReplicaSet is now revision 3");
            Assert.That(sets, Has.Count.EqualTo(2), "undo reuses the first ReplicaSet");
            Assert.That(pods, Has.Count.EqualTo(2));
            Assert.That(pods.Select(p => p.Spec.Containers[0].Image), Is.All.EqualTo("example/web:1"));
        });
    }

    [Test]
    public async Task Rollout_undo_to_a_revision_that_does_not_exist_fails_and_changes_nothing()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(TestObjects.Deployment("one", 1, "example/one:1"), ns);
        (await Kubectl.RunAsync("rollout", "status", "deployment/one", "-n", ns, "--timeout=60s")).EnsureSuccess();

        var undo = await Kubectl.RunAsync("rollout", "undo", "deployment/one", "-n", ns, "--to-revision=9");

        Assert.Multiple(async () =>
        {
            Assert.That(undo.ExitCode, Is.Not.Zero);
            Assert.That(undo.Stderr, Does.Contain("unable to find specified revision 9 in history"));
            Assert.That((await Client.AppsV1.ReadNamespacedDeploymentAsync("one", ns)).Spec.Template.Spec.Containers[0].Image, Is.EqualTo("example/one:1"));
        });
    }

    [Test]
    public async Task Rollout_restart_makes_a_new_replicaset_and_records_scaling_events()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(TestObjects.Deployment("api", 1, "example/api:1"), ns);
        (await Kubectl.RunAsync("rollout", "status", "deployment/api", "-n", ns, "--timeout=60s")).EnsureSuccess();
        var before = (await PodsAsync(ns, "app=api")).Single();

        (await Kubectl.RunAsync("rollout", "restart", "deployment/api", "-n", ns)).EnsureSuccess();
        (await Kubectl.RunAsync("rollout", "status", "deployment/api", "-n", ns, "--timeout=60s")).EnsureSuccess();
        await Eventually.UntilAsync(async () => (await PodsAsync(ns, "app=api")).Count == 1, "the old pod is gone");

        var after = (await PodsAsync(ns, "app=api")).Single();
        var sets = (await Client.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items.OrderBy(r => r.Metadata.Annotations["deployment.kubernetes.io/revision"]).ToList();
        var events = (await Kubectl.RunAsync("get", "events", "-n", ns, "--sort-by=.metadata.creationTimestamp")).EnsureSuccess().Stdout;
        var describe = (await Kubectl.RunAsync("describe", "deployment", "api", "-n", ns)).EnsureSuccess().Stdout;
        Assert.Multiple(() =>
        {
            Assert.That(after.Metadata.Uid, Is.Not.EqualTo(before.Metadata.Uid));
            Assert.That(after.Metadata.Annotations, Does.ContainKey("kubectl.kubernetes.io/restartedAt"));
            Assert.That(sets.Select(r => r.Spec.Replicas), Is.EqualTo(new int?[] { 0, 1 }));
            Assert.That(events, Does.Match(@"^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n"));
            Assert.That(events, Does.Match($@"Normal\s+ScalingReplicaSet\s+deployment/api\s+Scaled up replica set {sets[1].Metadata.Name} to 1 from 0"));
            Assert.That(events, Does.Match($@"Normal\s+ScalingReplicaSet\s+deployment/api\s+Scaled down replica set {sets[0].Metadata.Name} to 0 from 1"));
            Assert.That(events, Does.Match($@"Normal\s+SuccessfulCreate\s+replicaset/{sets[1].Metadata.Name}\s+Created pod: {after.Metadata.Name}"));
            Assert.That(events, Does.Match($@"Normal\s+SuccessfulDelete\s+replicaset/{sets[0].Metadata.Name}\s+Deleted pod: {before.Metadata.Name}"));
            Assert.That(describe, Does.Match($@"NewReplicaSet:\s+{sets[1].Metadata.Name} \(1/1 replicas created\)"));
            Assert.That(describe, Does.Match(@"Events:\s*\n\s+Type\s+Reason\s+Age\s+From\s+Message"));
        });
    }

    [Test]
    public async Task Two_rollout_restarts_stamped_in_one_second_both_roll_out()
    {
        // kubectl stamps restartedAt to the second: a second restart in that second changes nothing and rolls nothing out.
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(TestObjects.Deployment("cache", 1, "example/cache:1"), ns);
        (await Kubectl.RunAsync("rollout", "status", "deployment/cache", "-n", ns, "--timeout=60s")).EnsureSuccess();
        var workload = KubeRunbooks.Kubernetes.Workloads.WorkloadRef.Deployment(ns, "cache");
        var operations = new KubeRunbooks.Kubernetes.Workloads.WorkloadOperations(Client);
        var now = new DateTimeOffset(2026, 12, 6, 14, 29, 4, 228, TimeSpan.Zero);

        var first = await operations.RolloutRestartAsync(workload, now);
        var generation = (await Client.AppsV1.ReadNamespacedDeploymentAsync("cache", ns)).Metadata.Generation;
        var second = await operations.RolloutRestartAsync(workload, now.AddMilliseconds(438));
        var after = await Client.AppsV1.ReadNamespacedDeploymentAsync("cache", ns);

        Assert.That(second, Is.GreaterThan(first), "the second stamp moves past the first");
        Assert.That(after.Metadata.Generation ?? 0, Is.GreaterThan(generation ?? 0), "the second restart changed the template");
        Assert.That(after.Spec.Template.Metadata.Annotations["kubectl.kubernetes.io/restartedAt"], Is.EqualTo("2026-12-06T14:29:05Z"));
    }

    [Test]
    public async Task Rollout_latest_twice_in_a_row_returns_a_pod_of_each_new_revision()
    {
        // A restore rolls a workload out twice within a second (without persistence, then to load a dump): the pod
        // returned the second time must be of the second revision, not the pod of the first.
        var ns = await NewNamespaceAsync();
        var deployment = TestObjects.Deployment("redis", 1, "example/redis:1");
        deployment.Spec.Strategy = new V1DeploymentStrategy { Type = "Recreate" };
        await Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, ns);
        (await Kubectl.RunAsync("rollout", "status", "deployment/redis", "-n", ns, "--timeout=60s")).EnsureSuccess();
        var rollout = new KubeRunbooks.Kubernetes.Workloads.WorkloadRollout(Client);
        var workload = KubeRunbooks.Kubernetes.Workloads.WorkloadRef.Deployment(ns, "redis");

        var first = await rollout.RolloutLatestAsync(workload, "app=redis", TimeSpan.FromSeconds(60));
        var second = await rollout.RolloutLatestAsync(workload, "app=redis", TimeSpan.FromSeconds(60));

        Assert.That(second.Metadata.Name, Is.Not.EqualTo(first.Metadata.Name));
        Assert.That(second.Metadata.Labels["pod-template-hash"], Is.Not.EqualTo(first.Metadata.Labels["pod-template-hash"]));
    }

    [Test]
    public async Task Rollout_latest_whose_template_is_put_back_fails_instead_of_returning_the_old_pod()
    {
        // An operator reconciling its own template puts the restart stamp back: the old ReplicaSet becomes current
        // again and the rollout "completes" on the pod that ran before, which must not be taken for a new one.
        var ns = await NewNamespaceAsync();
        const string Stamp = "2026-01-01T00:00:00Z";
        var deployment = TestObjects.Deployment("config", 1, "example/config:1");
        deployment.Spec.Template.Metadata.Annotations = new Dictionary<string, string> { ["kubectl.kubernetes.io/restartedAt"] = Stamp };
        await Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, ns);
        (await Kubectl.RunAsync("rollout", "status", "deployment/config", "-n", ns, "--timeout=60s")).EnsureSuccess();
        var old = (await PodsAsync(ns, "app=config")).Single();
        var oldHash = old.Metadata.Labels["pod-template-hash"];
        Cluster.Faults.NeverReadyPods.Add($"^config-(?!{oldHash}-)"); // the new revision never serves on its own
        using var reverting = new CancellationTokenSource();
        var operatorLoop = Task.Run(async () =>
        {
            while (!reverting.IsCancellationRequested)
            {
                var current = await Client.AppsV1.ReadNamespacedDeploymentAsync("config", ns);
                if (current.Spec.Template.Metadata.Annotations?["kubectl.kubernetes.io/restartedAt"] != Stamp)
                {
                    var back = $"{{\"spec\":{{\"template\":{{\"metadata\":{{\"annotations\":{{\"kubectl.kubernetes.io/restartedAt\":\"{Stamp}\"}}}}}}}}}}";
                    await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(back, V1Patch.PatchType.MergePatch), "config", ns);
                }
                await Task.Delay(20);
            }
        });
        try
        {
            var rollout = new KubeRunbooks.Kubernetes.Workloads.WorkloadRollout(Client);

            var failure = Assert.ThrowsAsync<KubeRunbooks.Kubernetes.Workloads.RolloutUnchangedException>(() =>
                rollout.RolloutLatestAsync(KubeRunbooks.Kubernetes.Workloads.WorkloadRef.Deployment(ns, "config"), "app=config", TimeSpan.FromSeconds(60)));

            Assert.That(failure!.Message, Does.Contain($"rolled out no new revision: its pods are still of pod-template-hash={oldHash}"));
            Assert.That((await PodsAsync(ns, "app=config")).Select(p => p.Metadata.Name), Does.Contain(old.Metadata.Name), "the old pod still serves");
        }
        finally
        {
            await reverting.CancelAsync();
            await operatorLoop;
            Cluster.Faults.NeverReadyPods.Clear();
        }
    }

    [Test]
    public async Task A_recreate_rollout_starts_the_new_pod_only_once_the_old_pods_container_has_stopped()
    {
        // The old container takes 2 s to stop after TERM and writes a mark as it ends; the new one records at its start
        // whether that mark exists. A new pod started while the old one still ran (both on one volume) would see none.
        var ns = await NewNamespaceAsync();
        var deployment = TestObjects.Deployment("store", 1, "example/store:1");
        deployment.Spec.Strategy = new V1DeploymentStrategy { Type = "Recreate" };
        deployment.Spec.Template.Spec.TerminationGracePeriodSeconds = 20;
        SharedFolder(deployment.Spec.Template.Spec);
        deployment.Spec.Template.Spec.Containers[0].Command =
        [
            "sh", "-c",
            $"d=/shared/{ns}; mkdir -p $d; if [ -e $d/old-stopped ]; then echo after > $d/new-started; else echo before >> $d/new-started; fi; " +
            $"trap 'sleep 2; echo done > $d/old-stopped; exit 0' TERM; echo up > $d/trap-$HOSTNAME; while true; do sleep 0.2; done",
        ];
        await Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, ns);
        (await Kubectl.RunAsync("rollout", "status", "deployment/store", "-n", ns, "--timeout=60s")).EnsureSuccess();
        var old = (await PodsAsync(ns, "app=store")).Single();
        await Eventually.UntilAsync(async () => (await ExecAsync(ns, old.Metadata.Name, $"ls /shared/{ns}")).Contains("trap-" + old.Metadata.Name, StringComparison.Ordinal), "the old pod's TERM trap is set");
        await ExecAsync(ns, old.Metadata.Name, $"rm -f /shared/{ns}/new-started");

        (await Kubectl.RunAsync("rollout", "restart", "deployment/store", "-n", ns)).EnsureSuccess();
        (await Kubectl.RunAsync("rollout", "status", "deployment/store", "-n", ns, "--timeout=60s")).EnsureSuccess();

        var fresh = (await PodsAsync(ns, "app=store")).Single(p => p.Metadata.Name != old.Metadata.Name);
        await Eventually.UntilAsync(async () => (await ExecAsync(ns, fresh.Metadata.Name, $"cat /shared/{ns}/new-started")).Length > 0, "the new pod recorded its start");
        Assert.That((await ExecAsync(ns, fresh.Metadata.Name, $"cat /shared/{ns}/new-started")).Trim(), Is.EqualTo("after"),
            "the new pod started only after the old pod's container had stopped");
    }

    private async Task<string> ExecAsync(string ns, string pod, string script) =>
        (await Kubectl.RunAsync("exec", pod, "-n", ns, "--", "sh", "-c", script + " 2>/dev/null; true")).EnsureSuccess().Stdout;
}

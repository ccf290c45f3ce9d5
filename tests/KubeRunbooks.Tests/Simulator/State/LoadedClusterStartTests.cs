using k8s;
using k8s.Models;
using KubeRunbooks.Simulator.Scenarios;
using KubeRunbooks.Simulator.Server;
using KubeRunbooks.Simulator.State;
using KubeRunbooks.Tests.Simulator.Controllers;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.State;

/// <summary>
/// A cluster started on a store loaded from the state folder behaves as after a node restart: the pod controller
/// starts again every pod that NodeRestart put back to Pending, a finished Job stays finished (no new pod), and a
/// PVC's folder still holds what the previous run wrote.
/// </summary>
[TestFixture]
public sealed class LoadedClusterStartTests
{
    private static readonly ScenarioClusterSettings Settings = new() { ReadinessDelay = TimeSpan.Zero };
    private string _folder = null!;

    [SetUp]
    public void NewFolder() => _folder = Path.Combine(Path.GetTempPath(), "kr-loaded-" + Guid.NewGuid().ToString("N")[..12]);

    [TearDown]
    public void DropFolder()
    {
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }

    [Test]
    public async Task Pods_start_again_finished_jobs_stay_finished_and_pvc_data_is_kept()
    {
        var scenario = Scenario.Load("vantiq");
        string podUid;

        // First run: the scenario is seeded, its pods run, a Job writes into the mongobackup PVC and completes.
        using (var state = LocalClusterState.Open(_folder, TimeSpan.FromSeconds(5)))
        {
            await using var cluster = await SimulatedClusterBuilder.StartAsync(scenario, state.LoadOrSeed(scenario.Seed), state.RuntimeFolder, Settings);
            using var client = new k8s.Kubernetes(cluster.ClientConfiguration);
            await Eventually.UntilAsync(async () => IsRunningAndReady(await PodAsync(client, "metrics-collector-0")), "metrics-collector-0 is ready");
            podUid = (await PodAsync(client, "metrics-collector-0"))!.Metadata.Uid;

            var job = TestObjects.Job("write-marker", "echo kept > /backup/marker");
            job.Spec.Template.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "backup", MountPath = "/backup" }];
            job.Spec.Template.Spec.Volumes = [new V1Volume { Name = "backup", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "mongobackup" } }];
            await client.BatchV1.CreateNamespacedJobAsync(job, "vantiq");
            await Eventually.UntilAsync(async () => IsComplete(await client.BatchV1.ReadNamespacedJobAsync("write-marker", "vantiq")), "the Job completes");
        }

        var marker = Path.Combine(SimulatedClusterBuilder.ClaimFolderOf(Path.Combine(_folder, LocalClusterState.RuntimeFolderName), "vantiq", "mongobackup"), "marker");
        Assert.That(File.Exists(marker), Is.True, $"the Job wrote {marker}");

        // Second run: loaded, not seeded.
        using (var state = LocalClusterState.Open(_folder, TimeSpan.FromSeconds(5)))
        {
            var store = state.LoadOrSeed(_ => Assert.Fail("a state exists: the scenario must not seed it again"));
            var loaded = store.TryGet(KubeRunbooks.Simulator.Store.ResourceCatalog.Pods, "vantiq", "metrics-collector-0")!;
            Assert.That((string?)loaded["status"]?["phase"], Is.EqualTo("Pending"), "NodeRestart put the pod back to Pending");

            await using var cluster = await SimulatedClusterBuilder.StartAsync(scenario, store, state.RuntimeFolder, Settings);
            using var client = new k8s.Kubernetes(cluster.ClientConfiguration);
            await Eventually.UntilAsync(async () => IsRunningAndReady(await PodAsync(client, "metrics-collector-0")), "metrics-collector-0 runs again");
            await Eventually.UntilAsync(async () => IsRunningAndReady(await PodAsync(client, "vantiq-2")), "the vantiq pods run again");

            var pod = (await PodAsync(client, "metrics-collector-0"))!;
            Assert.That(pod.Metadata.Uid, Is.EqualTo(podUid), "the same pod object, started again");
            Assert.That(pod.Status.ContainerStatuses.Single().State.Running, Is.Not.Null);

            var job = await client.BatchV1.ReadNamespacedJobAsync("write-marker", "vantiq");
            Assert.That(IsComplete(job), Is.True, "the finished Job stays finished");
            var jobPods = await client.CoreV1.ListNamespacedPodAsync("vantiq", labelSelector: "batch.kubernetes.io/job-name=write-marker");
            Assert.That(jobPods.Items.Select(p => p.Status.Phase), Is.EqualTo(new[] { "Succeeded" }), "no new pod for a finished Job");
            Assert.That(File.ReadAllText(marker).Trim(), Is.EqualTo("kept"));
        }
    }

    [Test]
    public async Task Pods_ready_when_a_run_ended_are_awaited_until_ready_again_at_the_next_start()
    {
        var scenario = Scenario.Load("vantiq");
        using (var state = LocalClusterState.Open(_folder, TimeSpan.FromSeconds(5)))
        {
            await using var cluster = await SimulatedClusterBuilder.StartAsync(scenario, state.LoadOrSeed(scenario.Seed), state.RuntimeFolder, Settings);
            using var client = new k8s.Kubernetes(cluster.ClientConfiguration);
            await Eventually.UntilAsync(async () => IsRunningAndReady(await PodAsync(client, "metrics-collector-0")), "metrics-collector-0 is ready");
            Assert.That(state.ReadyBeforeRestart, Is.Empty, "a seeded cluster had no previous run");
            // The run ends: what is kept is the cluster as the run left it, not its containers being killed.
            state.StopPersisting();
        }

        using (var state = LocalClusterState.Open(_folder, TimeSpan.FromSeconds(5)))
        {
            var store = state.LoadOrSeed(_ => Assert.Fail("a state exists"));
            Assert.That(state.ReadyBeforeRestart, Does.Contain("vantiq/metrics-collector-0"));
            Assert.That(await RestartReadiness.WaitAsync(store, state.ReadyBeforeRestart, TimeSpan.Zero, CancellationToken.None),
                Does.Contain("vantiq/metrics-collector-0"), "right after the restart the pod is not ready, and the wait names it");

            await using var cluster = await SimulatedClusterBuilder.StartAsync(scenario, store, state.RuntimeFolder, Settings);
            var waiting = await RestartReadiness.WaitAsync(store, state.ReadyBeforeRestart, TimeSpan.FromSeconds(60), CancellationToken.None);

            Assert.That(waiting, Is.Empty);
            using var client = new k8s.Kubernetes(cluster.ClientConfiguration);
            Assert.That(IsRunningAndReady(await PodAsync(client, "metrics-collector-0")), Is.True);
        }
    }

    [Test]
    public async Task Without_stopping_persistence_first_a_teardown_would_keep_the_pods_as_not_ready()
    {
        var scenario = Scenario.Load("vantiq");
        using (var state = LocalClusterState.Open(_folder, TimeSpan.FromSeconds(5)))
        {
            await using var cluster = await SimulatedClusterBuilder.StartAsync(scenario, state.LoadOrSeed(scenario.Seed), state.RuntimeFolder, Settings);
            using var client = new k8s.Kubernetes(cluster.ClientConfiguration);
            await Eventually.UntilAsync(async () => IsRunningAndReady(await PodAsync(client, "metrics-collector-0")), "metrics-collector-0 is ready");
        }

        using (var state = LocalClusterState.Open(_folder, TimeSpan.FromSeconds(5)))
        {
            state.LoadOrSeed(_ => Assert.Fail("a state exists"));
            Assert.That(state.ReadyBeforeRestart, Does.Not.Contain("vantiq/metrics-collector-0"),
                "the killed containers were persisted: why the embedded cluster stops persisting before its teardown");
        }
    }

    private static async Task<V1Pod?> PodAsync(IKubernetes client, string name)
    {
        var pods = await client.CoreV1.ListNamespacedPodAsync("vantiq", fieldSelector: $"metadata.name={name}");
        return pods.Items.SingleOrDefault();
    }

    private static bool IsRunningAndReady(V1Pod? pod) =>
        pod?.Status?.Phase == "Running" && pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private static bool IsComplete(V1Job job) => job.Status?.Conditions?.Any(c => c.Type == "Complete" && c.Status == "True") == true;
}

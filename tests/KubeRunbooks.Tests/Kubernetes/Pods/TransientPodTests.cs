using k8s;
using k8s.Models;
using KubeRunbooks.Kubernetes.Pods;
using KubeRunbooks.Kubernetes.Watching;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Kubernetes.Pods;

/// <summary>
/// The one pod life (<see cref="TransientPod"/>) on a simulated cluster whose runtime runs the pods: created labelled
/// and Ready, deleted and gone; a leftover of a killed run replaced; someone else's pod never touched; a pod that never
/// becomes Ready deleted again; and a pod that lives across steps started in one and deleted in another.
/// </summary>
[TestFixture]
public sealed class TransientPodTests
{
    private const string Ns = "pods";
    private const string Purpose = "helper";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private TestCluster _cluster = null!;
    private IKubernetes Client => _cluster.Client;

    [OneTimeSetUp]
    public async Task StartAsync() =>
        _cluster = await TestCluster.OfScenarioYaml($"objects:\n  - {{ apiVersion: v1, kind: Namespace, metadata: {{ name: {Ns} }} }}\n")
            .WithReadinessDelay(TimeSpan.Zero)
            .WithFaults(faults => faults.NeverReadyPods.Add("^never-"))
            .StartAsync("transient");

    [OneTimeTearDown]
    public async Task StopAsync() => await _cluster.DisposeAsync();

    [Test]
    public async Task A_started_pod_is_ready_and_labelled_with_its_purpose_and_gone_after_dispose()
    {
        var pod = await TransientPod.StartAsync(Client, Manifest("life"), Purpose, Timeout, CancellationToken.None, TimeSpan.Zero);
        var running = await Client.CoreV1.ReadNamespacedPodAsync("life", Ns);

        Assert.That(WorkloadPods.IsReady(running), Is.True);
        Assert.That(running.Metadata.Labels[TransientPod.Label], Is.EqualTo(Purpose));
        Assert.That(pod.Container.Container, Is.EqualTo("main"));

        await pod.DisposeAsync();

        Assert.That(await TransientPod.PresenceAsync(Client, Ns, "life", Purpose, CancellationToken.None), Is.EqualTo(TransientPodPresence.Absent));
    }

    [Test]
    public async Task A_leftover_of_the_same_purpose_is_replaced_by_a_new_pod()
    {
        var leftover = await Client.CoreV1.CreateNamespacedPodAsync(TransientPod.Labelled(Manifest("again"), Purpose), Ns);

        await using var pod = await TransientPod.StartAsync(Client, Manifest("again"), Purpose, Timeout, CancellationToken.None, TimeSpan.Zero);

        var now = await Client.CoreV1.ReadNamespacedPodAsync("again", Ns);
        Assert.That(now.Metadata.Uid, Is.Not.EqualTo(leftover.Metadata.Uid));
        Assert.That(WorkloadPods.IsReady(now), Is.True);
    }

    [Test]
    public async Task Someone_elses_pod_is_refused_and_left_running()
    {
        var foreign = await Client.CoreV1.CreateNamespacedPodAsync(Manifest("theirs"), Ns);

        var refused = Assert.ThrowsAsync<InvalidOperationException>(() => TransientPod.StartAsync(Client, Manifest("theirs"), Purpose, Timeout, CancellationToken.None));

        Assert.That(refused!.Message, Does.Contain($"Pod {Ns}/theirs exists and was not created by this tool for {Purpose}"));
        Assert.That((await Client.CoreV1.ReadNamespacedPodAsync("theirs", Ns)).Metadata.Uid, Is.EqualTo(foreign.Metadata.Uid));
        Assert.That(await TransientPod.DeleteAsync(Client, Ns, "theirs", Purpose, Timeout, TimeSpan.Zero), Is.EqualTo(TransientPodPresence.Foreign));
        Assert.That((await Client.CoreV1.ReadNamespacedPodAsync("theirs", Ns)).Metadata.DeletionTimestamp, Is.Null);
    }

    [Test]
    public async Task A_pod_of_this_tool_for_another_purpose_is_not_ours()
    {
        await Client.CoreV1.CreateNamespacedPodAsync(TransientPod.Labelled(Manifest("other"), "restore-server"), Ns);

        Assert.That(await TransientPod.PresenceAsync(Client, Ns, "other", Purpose, CancellationToken.None), Is.EqualTo(TransientPodPresence.Foreign));
        Assert.ThrowsAsync<InvalidOperationException>(() => TransientPod.DeleteLeftoverAsync(Client, Ns, "other", Purpose, Timeout, CancellationToken.None));
    }

    [Test]
    public async Task A_pod_that_never_becomes_ready_times_out_naming_it_and_is_deleted()
    {
        var failed = Assert.ThrowsAsync<WaitTimeoutException>(() =>
            TransientPod.StartAsync(Client, Manifest("never-ready"), Purpose, TimeSpan.FromSeconds(3), CancellationToken.None, TimeSpan.Zero));

        Assert.That(failed!.Message, Does.Contain($"pod {Ns}/never-ready to be ready"));
        Assert.That(await TransientPod.PresenceAsync(Client, Ns, "never-ready", Purpose, CancellationToken.None), Is.EqualTo(TransientPodPresence.Absent));
    }

    [Test]
    public async Task A_pod_started_in_one_step_is_deleted_by_name_in_another()
    {
        // The first step keeps no handle: the pod outlives it.
        _ = await TransientPod.StartAsync(Client, Manifest("across"), Purpose, Timeout, CancellationToken.None, TimeSpan.Zero);
        Assert.That(await TransientPod.PresenceAsync(Client, Ns, "across", Purpose, CancellationToken.None), Is.EqualTo(TransientPodPresence.Ours));

        var deleted = await TransientPod.DeleteAsync(Client, Ns, "across", Purpose, Timeout, TimeSpan.Zero);

        Assert.That(deleted, Is.EqualTo(TransientPodPresence.Ours));
        Assert.That(await TransientPod.PresenceAsync(Client, Ns, "across", Purpose, CancellationToken.None), Is.EqualTo(TransientPodPresence.Absent));
        Assert.That(await TransientPod.DeleteAsync(Client, Ns, "across", Purpose, Timeout, TimeSpan.Zero), Is.EqualTo(TransientPodPresence.Absent));
    }

    [Test]
    public void Labelled_copies_the_manifest_and_keeps_its_own_labels()
    {
        var manifest = Manifest("copy");
        manifest.Metadata.Labels = new Dictionary<string, string> { ["app"] = "x" };

        var labelled = TransientPod.Labelled(manifest, Purpose);

        Assert.That(labelled.Metadata.Labels, Is.EquivalentTo(new Dictionary<string, string> { ["app"] = "x", [TransientPod.Label] = Purpose }));
        Assert.That(manifest.Metadata.Labels, Is.EquivalentTo(new Dictionary<string, string> { ["app"] = "x" }));
    }

    private static V1Pod Manifest(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox", Command = ["/bin/sh", "-c", "exec sleep infinity"] }] },
    };
}

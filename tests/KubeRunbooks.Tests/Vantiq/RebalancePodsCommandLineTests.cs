using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Tests.Frosting;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Vantiq;

/// <summary>
/// RebalancePods through the built host on a cluster of three worker nodes: the seed's taint / scale to 1 / scale back /
/// untaint sequence puts the pods it recreates on the target node, the dry run lists each taint and changes nothing, a
/// step that fails and a SIGKILLed run both leave no taint behind, and a rerun finishes from the operation ledger record
/// on the Vantiq StatefulSet (another target is refused meanwhile; the first release's annotation is still honoured);
/// then VerifyInstall, on the placement the rebalance left, names the one pod on a node its placement does not allow.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RebalancePodsCommandLineTests
{
    private const string TaintKey = "kuberunbooks.io/rebalance";
    private const string OperationKey = "kuberunbooks.io/operation";
    private static readonly string[] Workers = ["worker-1", "worker-2", "worker-3"];
    private VantiqWorld _world = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _world = await VantiqWorld.StartAsync(nodes: Workers);

    [OneTimeTearDown]
    public async Task StopAsync() => await _world.DisposeAsync();

    [TearDown]
    public void ClearFaults() => _world.Cluster.Faults.NeverReadyPods.Clear();

    [Test]
    [Order(1)]
    public void Dry_run_lists_each_taint_and_changes_nothing()
    {
        var before = _world.Audit().Count;

        var run = _world.Run("--target=RebalancePods", "--node=worker-1", "--dryrun");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        var expected = Workers.Select(w => $"taint node {w} {TaintKey}=true:NoSchedule")
            .Append($"untaint node worker-1 {TaintKey}:NoSchedule")
            .Append("scale statefulset vantiq/vantiq to 1")
            .Append("scale statefulset vantiq/vantiq to 3")
            .Concat(Workers.Select(w => $"untaint node {w} {TaintKey}:NoSchedule"))
            .ToList();
        var from = 0;
        foreach (var line in expected)
        {
            from = run.Output.IndexOf(line, from, StringComparison.Ordinal);
            Assert.That(from, Is.Not.EqualTo(-1), $"'{line}' in order in:\n{run.Output}");
            from++;
        }
        Assert.That(_world.Audit().Skip(before).Where(a => a.Verb is "create" or "update" or "patch" or "delete"), Is.Empty);
    }

    [Test]
    [Order(2)]
    public async Task The_pods_recreated_by_the_scale_up_land_on_the_target_node_and_no_taint_is_left()
    {
        var before = await _world.PlacementAsync("vantiq");
        Assert.That(new[] { before["vantiq-1"], before["vantiq-2"] }, Has.Some.Not.EqualTo("worker-1"), "the scheduler spread the pods: there is something to move");

        var run = _world.Run("--target=RebalancePods", "--node=worker-1");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        await _world.WaitForReplicasAsync(("vantiq", 3));
        var after = await _world.PlacementAsync("vantiq");
        Assert.That(after["vantiq-1"], Is.EqualTo("worker-1"));
        Assert.That(after["vantiq-2"], Is.EqualTo("worker-1"));
        Assert.That(after["vantiq-0"], Is.EqualTo(before["vantiq-0"]), "scaling to 1 keeps vantiq-0 where it was, as in the seed");
        Assert.That(await _world.TaintedAsync(TaintKey), Is.Empty);
        Assert.That((await _world.AnnotationsAsync("vantiq")).Keys, Does.Not.Contain(TaintKey).And.Not.Contain(OperationKey), "the record is removed when the rebalance is done");
        Assert.That(_world.Audit().Any(a => a.Resource == "statefulsets" && a.Verb == "patch" && a.Body?.ToJsonString().Contains("RebalancePods") == true),
            Is.True, "the operation was recorded in the ledger on the StatefulSet while it ran");
        Assert.That(_world.Audit().Where(a => a.Scale is not null).Select(a => a.Scale).TakeLast(2), Is.EqualTo(new[] { "vantiq=1", "vantiq=3" }));
    }

    [Test]
    [Order(3)]
    public async Task A_scale_up_that_never_gets_ready_still_removes_every_taint_and_says_what_it_left()
    {
        _world.Cluster.Faults.NeverReadyPods.Add("^vantiq-2$");
        _world.Workspace.WriteKubeconfigProfile("short", _world.Cluster.KubeconfigPath,
            $"timeouts: {{ podReady: 3s }}\nvantiq:\n  restoreCommand: '{VantiqWorld.RestoreCommand}'\n");

        var run = _world.Workspace.Run("--cluster=short", "--target=RebalancePods", "--node=worker-2");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        Assert.That(run.Output + run.Error, Does.Contain("RebalancePods stopped at \"scale statefulset vantiq/vantiq to 3\"")
            .And.Contain($"the {TaintKey} taint was removed from every node (worker-1, worker-2, worker-3)")
            .And.Contain("its normal count is 3"));
        Assert.That(await _world.TaintedAsync(TaintKey), Is.Empty, "no node is left NoSchedule");
        Assert.That(run.Output + run.Error, Does.Contain($"the operation record ({OperationKey} on statefulset vantiq/vantiq) stays"));
        var record = await RecordAsync();
        Assert.That(record, Is.Not.Null, "the ledger record stays for the rerun");
        Assert.That(record!.Target, Is.EqualTo("RebalancePods"));
        Assert.That(record.Input("replicas"), Is.EqualTo("3"), "the normal count is in the record");
        Assert.That(record.Input("node"), Is.EqualTo("worker-2"));
        Assert.That(record.TakenOf("taints"), Is.EqualTo("worker-1,worker-3"), "the taints applied are in the record");
        Assert.That(record.Mark("tainted"), Is.Not.Null);
        Assert.That(record.Mark("scaledDown"), Is.Not.Null);
        Assert.That(record.Mark("scaledUp"), Is.Null);
        Assert.That(record.Mark("untainted"), Is.Not.Null, "the record says the failed run removed its taints");
        Assert.That((await _world.AnnotationsAsync("vantiq")).Keys, Does.Not.Contain(TaintKey), "no annotation of the first release is written");

        // Meanwhile another target is refused, also a rollback (which may replace only an unfinished upgrade).
        var auditBefore = _world.Audit().Count;
        var other = _world.Run("--target=RollbackPatch");
        Assert.That(other.ExitCode, Is.EqualTo(2), other.Output + other.Error);
        Assert.That(other.Output + other.Error, Does.Contain("records an unfinished RebalancePods").And.Contain("run RebalancePods again to finish it first"));
        Assert.That(_world.Audit().Skip(auditBefore).Where(a => a.Verb is "create" or "update" or "patch" or "delete"), Is.Empty, "the refused target changed nothing");

        _world.Cluster.Faults.NeverReadyPods.Clear();
        await _world.Client.CoreV1.DeleteNamespacedPodAsync("vantiq-2", "vantiq");
        // The rerun has the usual timeouts: the record on the workload, not the profile, carries what it finishes.
        var rerun = _world.Run("--target=RebalancePods", "--node=worker-2");

        Assert.That(rerun.ExitCode, Is.EqualTo(0), rerun.Output + rerun.Error);
        Assert.That(rerun.Output, Does.Contain("Found the record of an unfinished RebalancePods").And.Contain("back to 3 replicas"));
        await _world.WaitForReplicasAsync(("vantiq", 3));
        Assert.That(await _world.TaintedAsync(TaintKey), Is.Empty);
        Assert.That(await RecordAsync(), Is.Null, "the rerun finished the operation");
    }

    [Test]
    [Order(4)]
    public async Task A_run_killed_after_the_taints_are_set_is_cleaned_up_and_finished_by_the_rerun()
    {
        var scalesBefore = _world.Audit().Count(a => a.Scale == "vantiq=1");
        using (var host = KillableHost.Start(_world.Workspace.Folder, "--cluster=test", "--target=RebalancePods", "--node=worker-3"))
        {
            // Killed (SIGKILL: no finally block runs, the taints stay) once the taints are on and the scale-down was asked for.
            await host.KillWhenAsync(() => Task.FromResult(_world.Audit().Count(a => a.Scale == "vantiq=1") != scalesBefore), "the scale of vantiq to 1", TimeSpan.FromSeconds(60));
        }
        Assert.That(await _world.TaintedAsync(TaintKey), Is.EquivalentTo(new[] { "worker-1", "worker-2" }), "the killed run left its taints");
        var record = await RecordAsync();
        Assert.That(record?.TakenOf("taints"), Is.EqualTo("worker-1,worker-2"), "the ledger names the taints the killed run set");
        Assert.That(record!.Input("replicas"), Is.EqualTo("3"));
        Assert.That(record.Mark("scaledUp"), Is.Null);

        var rerun = _world.Run("--target=RebalancePods", "--node=worker-3");

        Assert.That(rerun.ExitCode, Is.EqualTo(0), rerun.Output + rerun.Error);
        Assert.That(rerun.Output, Does.Contain("Found the record of an unfinished RebalancePods").And.Contain("Nodes still tainted by an earlier run: worker-1, worker-2"));
        await _world.WaitForReplicasAsync(("vantiq", 3));
        Assert.That(await _world.TaintedAsync(TaintKey), Is.Empty);
        var after = await _world.PlacementAsync("vantiq");
        Assert.That(after["vantiq-1"], Is.EqualTo("worker-3"));
        Assert.That(after["vantiq-2"], Is.EqualTo("worker-3"));
        Assert.That(await RecordAsync(), Is.Null);
    }

    [Test]
    [Order(5)]
    public async Task The_annotation_of_the_first_release_is_honoured_and_migrated()
    {
        // What the first release left after a kill: its annotation on the workload, vantiq at 1, one node tainted.
        var old = new JsonObject { ["node"] = "worker-3", ["replicas"] = 3, ["run"] = "old-run" }.ToJsonString();
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [TaintKey] = old } } }.ToJsonString();
        await _world.Client.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), "vantiq", "vantiq");
        await _world.Client.AppsV1.PatchNamespacedStatefulSetScaleAsync(new V1Patch("{\"spec\":{\"replicas\":1}}", V1Patch.PatchType.MergePatch), "vantiq", "vantiq");
        await _world.WaitForReplicasAsync(("vantiq", 1));
        var taint = new V1Patch("{\"spec\":{\"taints\":[{\"key\":\"" + TaintKey + "\",\"value\":\"true\",\"effect\":\"NoSchedule\"}]}}", V1Patch.PatchType.MergePatch);
        await _world.Client.CoreV1.PatchNodeAsync(taint, "worker-1");

        var rerun = _world.Run("--target=RebalancePods", "--node=worker-3");

        Assert.That(rerun.ExitCode, Is.EqualTo(0), rerun.Output + rerun.Error);
        Assert.That(rerun.Output, Does.Contain("Found the record of an unfinished RebalancePods (run old-run, recorded by the first release").And.Contain("back to 3 replicas"));
        await _world.WaitForReplicasAsync(("vantiq", 3));
        Assert.That(await _world.TaintedAsync(TaintKey), Is.Empty);
        Assert.That((await _world.AnnotationsAsync("vantiq")).Keys, Does.Not.Contain(TaintKey).And.Not.Contain(OperationKey), "migrated, then finished");
    }

    [Test]
    [Order(6)]
    public async Task VerifyInstall_names_the_pod_on_a_node_its_placement_does_not_allow_and_passes_when_all_are_allowed()
    {
        var sensitive = Path.Combine(_world.Workspace.Folder, "sensitive");
        var placement = await _world.PlacementAsync("vantiq");
        var elsewhere = placement["vantiq-0"];
        Assert.That(placement["vantiq-1"], Is.EqualTo("worker-3"), "the rebalance above put vantiq-1 on worker-3");
        Assume.That(elsewhere, Is.Not.EqualTo("worker-3"), "vantiq-0 was scheduled on worker-3 from the start: nothing is misplaced");
        try
        {
            _world.WriteProfile($"  sensitiveFolder: {sensitive}\n  nodePlacement:\n    vantiq: worker-3\n");
            var byName = _world.Run("--target=VerifyInstall");
            _world.WriteProfile($"  sensitiveFolder: {sensitive}\n  nodePlacement:\n    vantiq: topology.kubernetes.io/zone=zone-worker-3\n");
            var bySelector = _world.Run("--target=VerifyInstall");
            _world.WriteProfile($"  sensitiveFolder: {sensitive}\n  nodePlacement:\n    vantiq: worker-3,{elsewhere}\n");
            var allowed = _world.Run("--target=VerifyInstall");

            Assert.That(byName.ExitCode, Is.EqualTo(1), byName.Output + byName.Error);
            Assert.That(Lines(byName), Has.Some.EndsWith($"FAIL pods on their nodes: vantiq-0 is on {elsewhere}, expected worker-3"));
            Assert.That(bySelector.ExitCode, Is.EqualTo(1), bySelector.Output + bySelector.Error);
            Assert.That(Lines(bySelector), Has.Some.EndsWith($"FAIL pods on their nodes: vantiq-0 is on {elsewhere}, expected topology.kubernetes.io/zone=zone-worker-3"));
            var pod = await _world.Client.CoreV1.ReadNamespacedPodAsync("vantiq-0", "vantiq");
            Assert.That(allowed.ExitCode, Is.EqualTo(0), allowed.Output + allowed.Error + "\nvantiq-0: " + k8s.KubernetesJson.Serialize(pod.Status) + " " + k8s.KubernetesJson.Serialize(pod.Metadata));
            Assert.That(Lines(allowed), Has.Some.EndsWith("PASS pods on their nodes: 3 pods of vantiq on their intended nodes"));
            // The Vantiq key it saved appears in no output, report or the API server's audit log.
            var key = File.ReadAllText(Path.Combine(sensitive, "vantiq-startup.key")).Trim();
            var texts = new[] { byName, bySelector, allowed }.SelectMany(r => new[] { r.Output, r.Error })
                .Concat(_world.Workspace.RunFolders.SelectMany(f => Directory.GetFiles(f, "*", SearchOption.AllDirectories)).Select(File.ReadAllText))
                .Append(File.ReadAllText(_world.Cluster.AuditLogPath));
            Assert.That(texts.Where(t => t.Contains(key, StringComparison.Ordinal)), Is.Empty);
        }
        finally
        {
            _world.WriteProfile();
        }
    }

    private async Task<OperationRecord?> RecordAsync() =>
        (await _world.AnnotationsAsync("vantiq")).TryGetValue(OperationKey, out var json) ? OperationRecord.Parse(json, "statefulset vantiq/vantiq") : null;

    private static List<string> Lines(HostRun run) => (run.Output + "\n" + run.Error).Split('\n').Select(l => l.Trim()).ToList();
}

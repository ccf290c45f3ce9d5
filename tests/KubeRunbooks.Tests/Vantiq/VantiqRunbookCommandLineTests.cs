using k8s;
using k8s.Models;
using static KubeRunbooks.Tests.Vantiq.MinorUpgradeCommandLineTests;

namespace KubeRunbooks.Tests.Vantiq;

/// <summary>
/// Refusals and dry runs (one shared cluster: none of them may change it), then the patch upgrade, its rollback and
/// the MongoDB backup and restore on their own, through the built host's command line.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class VantiqRunbookCommandLineTests
{
    private VantiqWorld _world = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _world = await VantiqWorld.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _world.DisposeAsync();

    [TestCase("UpgradeMinor", "--to=1.30.11", "use --target=UpgradePatch")]
    [TestCase("UpgradeMinor", "--to=1.29.4", "use --target=RollbackMinor")]
    [TestCase("UpgradeMinor", "--to=1.30.10", "already the current version")]
    [TestCase("UpgradeMinor", "--to=2.0.0", "major upgrade")]
    [TestCase("UpgradeMinor", "--to=latest", "latest")]
    [TestCase("UpgradeMinor", "", "--to=X.Y.Z is required")]
    [TestCase("UpgradePatch", "--to=1.31.0", "use --target=UpgradeMinor")]
    [TestCase("UpgradePatch", "--to=1.30.9", "use --target=RollbackPatch")]
    [TestCase("RollbackMinor", "", "No previous image is recorded")]
    [TestCase("RollbackPatch", "", "No previous image is recorded")]
    [TestCase("MongoRestore", "", "--backup=ID is required")]
    [TestCase("MongoRestore", "--backup=nosuch", "Backup nosuch does not exist")]
    public void Wrong_input_is_refused_with_one_line_exit_2_and_no_change(string target, string argument, string expected)
    {
        var before = _world.Audit().Count;

        var run = _world.Run(new[] { $"--target={target}", argument }.Where(a => a.Length > 0).ToArray());

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), run.Error);
        Assert.That(run.Error, Does.StartWith("error: ").And.Contain(expected));
        Assert.That(_world.Audit().Skip(before), Is.Empty, "no request changed anything");
    }

    [Test]
    public async Task A_damaged_operation_record_is_refused_with_one_line()
    {
        var patch = new V1Patch("{\"metadata\":{\"annotations\":{\"kuberunbooks.io/operation\":\"not json\"}}}", V1Patch.PatchType.MergePatch);
        await _world.Client.AppsV1.PatchNamespacedStatefulSetAsync(patch, "vantiq", "vantiq");
        try
        {
            var before = _world.Audit().Count;
            var run = _world.Run("--target=UpgradeMinor", "--to=1.31.0");

            Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
            Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(run.Error, Does.Contain("kuberunbooks.io/operation").And.Contain("not an operation record"));
            Assert.That(_world.Audit().Skip(before), Is.Empty);
        }
        finally
        {
            var remove = new V1Patch("{\"metadata\":{\"annotations\":{\"kuberunbooks.io/operation\":null}}}", V1Patch.PatchType.MergePatch);
            await _world.Client.AppsV1.PatchNamespacedStatefulSetAsync(remove, "vantiq", "vantiq");
        }
    }

    [Test]
    public void A_restore_of_a_job_that_is_not_a_backup_is_refused()
    {
        var run = _world.Run("--target=MongoRestore", "--backup=vantiq");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error, Does.Contain("vantiq"));
    }

    [Test]
    public void A_profile_without_vantiq_is_refused_naming_the_section()
    {
        _world.Workspace.WriteKubeconfigProfile("novantiq", _world.Cluster.KubeconfigPath, "");

        var run = _world.Workspace.Run("--cluster=novantiq", "--target=UpgradeMinor", "--to=1.31.0");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error, Does.Contain("no 'vantiq' section"));
    }

    [Test]
    public void Dry_run_prints_every_mutation_in_order_and_changes_nothing()
    {
        var before = _world.Audit().Count;

        var run = _world.Run("--target=UpgradeMinor", "--to=1.31.0", "--dryrun");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        var expected = new[]
        {
            "take lease vantiq/kuberunbooks-lock",
            "annotate statefulset vantiq/vantiq kuberunbooks.io/original-replicas=3",
            "scale statefulset vantiq/vantiq to 0",
            "scale statefulset vantiq/vision-analytics to 0",
            "create job vantiq/mongobackup-upgrade-",
            "annotate statefulset vantiq/vantiq kuberunbooks.io/previous-image=quay.io/vantiq/vantiq-server:1.30.10",
            "set image of statefulset vantiq/vantiq: every quay.io/vantiq/vantiq-server container to tag 1.31.0",
            "scale statefulset vantiq/vantiq to 1",
            "scale statefulset vantiq/vision-analytics to 2 (its recorded replicas)",
        };
        var positions = expected.Select(e => run.Output.IndexOf(e, StringComparison.Ordinal)).ToList();
        Assert.That(positions, Has.None.EqualTo(-1), run.Output);
        Assert.That(positions, Is.Ordered, run.Output);
        Assert.That(_world.Audit().Skip(before), Is.Empty);
    }

    [Test]
    public void Dry_run_with_bad_input_fails_as_the_run_would()
    {
        var run = _world.Run("--target=UpgradeMinor", "--to=1.30.11", "--dryrun");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error, Does.Contain("use --target=UpgradePatch"));
    }

    [Test]
    public async Task UpgradePatch_rolls_every_pod_to_the_new_revision_and_RollbackPatch_returns()
    {
        await using var world = await VantiqWorld.StartAsync();

        var run = world.Run("--target=UpgradePatch", "--to=1.30.11");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(Steps(world.Audit()), Is.EqualTo(new[] { "image vantiq", "image metrics-collector" }), "no scaling in a patch upgrade");
        var sts = await world.StatefulSetAsync("vantiq");
        Assert.That(sts.Status.UpdateRevision, Is.EqualTo(sts.Status.CurrentRevision));
        Assert.That(sts.Status.UpdatedReplicas, Is.EqualTo(3));
        var pods = await world.Client.CoreV1.ListNamespacedPodAsync("vantiq", labelSelector: "app=vantiq");
        Assert.That(pods.Items, Has.Count.EqualTo(3));
        Assert.That(pods.Items.Select(p => p.Metadata.Labels["controller-revision-hash"]), Is.All.EqualTo(sts.Status.UpdateRevision));
        Assert.That(pods.Items.Select(p => p.Spec.Containers[0].Image), Is.All.EqualTo("quay.io/vantiq/vantiq-server:1.30.11"));

        var back = world.Run("--target=RollbackPatch");

        Assert.That(back.ExitCode, Is.EqualTo(0), back.Output + back.Error);
        Assert.That(await world.TagAsync("vantiq", "vantiq"), Is.EqualTo("1.30.10"));
        pods = await world.Client.CoreV1.ListNamespacedPodAsync("vantiq", labelSelector: "app=vantiq");
        Assert.That(pods.Items.Select(p => p.Spec.Containers[0].Image), Is.All.EqualTo("quay.io/vantiq/vantiq-server:1.30.10"));
        var annotations = await world.AnnotationsAsync("vantiq");
        Assert.That(annotations.Keys, Does.Not.Contain("kuberunbooks.io/operation").And.Not.Contain("kuberunbooks.io/previous-image"));
    }

    [Test]
    public async Task MongoBackup_runs_without_downtime_and_MongoRestore_restores_it_with_vantiq_stopped()
    {
        await using var world = await VantiqWorld.StartAsync();

        var backup = world.Run("--target=MongoBackup");

        Assert.That(backup.ExitCode, Is.EqualTo(0), backup.Output + backup.Error);
        Assert.That(Steps(world.Audit()), Is.EqualTo(new[] { "create job" }), "no scaling for a backup");
        var backupId = Facts(backup.ReportFolder!)["backupId"];
        Assert.That(backupId, Does.StartWith("mongobackup-manual-"));
        Assert.That(backup.Output, Does.Contain($"mongobackup | mongobackup: wrote {backupId}.archive.gz"));

        var before = world.Audit().Count;
        var restore = world.Run("--target=MongoRestore", $"--backup={backupId}");

        Assert.That(restore.ExitCode, Is.EqualTo(0), restore.Output + restore.Error);
        Assert.That(Steps(world.Audit().Skip(before)), Is.EqualTo(new[]
        {
            "vantiq=0", "metrics-collector=0", "vision-analytics=0", "create job", "vantiq=3", "metrics-collector=1", "vision-analytics=2",
        }));
        Assert.That(restore.Output, Does.Contain($"mongorestore: restored {backupId}"));
        await world.WaitForReplicasAsync(("vantiq", 3), ("metrics-collector", 1), ("vision-analytics", 2));
    }

    [Test]
    public async Task A_failing_restore_leaves_vantiq_stopped_and_says_how_to_retry()
    {
        await using var world = await VantiqWorld.StartAsync();
        var backupId = Facts(world.Run("--target=MongoBackup").ReportFolder!)["backupId"];
        world.Cluster.Faults.FailingJobs.Add("^mongobackup-restore-");

        var run = world.Run("--target=MongoRestore", $"--backup={backupId}");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        Assert.That(run.Output + run.Error, Does.Contain("The MongoDB restore from").And.Contain($"--target=MongoRestore --cluster=test --backup={backupId}"));
        Assert.That((await world.StatefulSetAsync("vantiq")).Spec.Replicas, Is.EqualTo(0));
    }

    [Test]
    public async Task A_deploy_command_that_resets_the_replicas_is_followed_by_the_hold_at_one_pod()
    {
        Simulator.Api.Kubectl.RequireInstalled();
        await using var world = await VantiqWorld.StartAsync();
        var kubectl = $"kubectl --kubeconfig {world.Cluster.KubeconfigPath} --cache-dir {Path.Combine(world.Root, "kubectl-cache")} -n vantiq";
        // What ./gradlew deployVantiq does to the cluster: new images, and the replicas back to the chart's.
        var command = $"{kubectl} set image sts/vantiq vantiq=quay.io/vantiq/vantiq-server:{{version}} load-model=quay.io/vantiq/vantiq-server:$KUBERUNBOOKS_VERSION"
            + $" && {kubectl} scale sts vantiq --replicas=3 && {kubectl} scale sts metrics-collector --replicas=1";
        world.WriteProfile($"  deploy:\n    command: '{command}'\n");

        var run = world.Run("--target=UpgradeMinor", "--to=1.31.0");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(run.Output, Does.Contain("deploy | statefulset.apps/vantiq image updated"));
        var steps = Steps(world.Audit());
        var deployed = steps.IndexOf("image vantiq");
        Assert.That(steps.Skip(deployed + 1).Take(4), Is.EqualTo(new[] { "vantiq=3", "metrics-collector=1", "metrics-collector=0", "vantiq=1" }),
            "after the deploy reset them, metrics-collector goes back to 0 before vantiq to 1: " + string.Join(", ", steps));
        Assert.That(await world.TagAsync("vantiq", "load-model"), Is.EqualTo("1.31.0"));
        await world.WaitForReplicasAsync(("vantiq", 3), ("metrics-collector", 1), ("vision-analytics", 2));
    }

    [Test]
    public async Task A_failing_deploy_command_ends_the_run_saying_how_to_resume_and_a_rerun_does_not_back_up_again()
    {
        await using var world = await VantiqWorld.StartAsync();
        world.WriteProfile("  deploy:\n    command: 'echo deploying {version}; exit 7'\n");

        var run = world.Run("--target=UpgradeMinor", "--to=1.31.0");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        Assert.That(run.Output, Does.Contain("deploy | deploying 1.31.0"));
        Assert.That(run.Output + run.Error, Does.Contain("exited with code 7").And.Contain("./build.sh --target=UpgradeMinor --cluster=test --to=1.31.0 again to resume"));
        Assert.That(await world.TagAsync("vantiq", "vantiq"), Is.EqualTo("1.30.10"));

        world.WriteProfile();
        var rerun = world.Run("--target=UpgradeMinor", "--to=1.31.0");

        Assert.That(rerun.ExitCode, Is.EqualTo(0), rerun.Output + rerun.Error);
        Assert.That(world.Audit().Count(a => a.Resource == "jobs" && a.Verb == "create"), Is.EqualTo(1), "the backup of the first run is kept");
        Assert.That(await world.TagAsync("vantiq", "vantiq"), Is.EqualTo("1.31.0"));
    }

    [Test]
    public void ClusterInfo_shows_the_vantiq_version()
    {
        var run = _world.Run("--target=ClusterInfo");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(run.Output, Does.Contain("Vantiq version: 1.30.10"));
    }
}

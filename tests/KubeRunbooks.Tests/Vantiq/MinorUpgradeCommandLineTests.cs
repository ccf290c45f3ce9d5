using System.Diagnostics;
using System.Text.Json;
using k8s;
using k8s.Models;
using KubeRunbooks.Simulator.Faults;
using KubeRunbooks.Tests.Frosting;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Vantiq;

/// <summary>
/// UpgradeMinor and RollbackMinor through the built host's command line on a simulated Vantiq install, asserting
/// what a real cluster would have seen from its audit log and its objects: the seed's 3/1/2 -> 0/0/0 -> backup
/// -> image -> 1/0/0 -> load-model -> Ready -> 3/1/2, and every failure path of the issue.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class MinorUpgradeCommandLineTests
{
    [Test]
    public async Task UpgradeMinor_follows_the_seed_in_order_and_restores_the_recorded_replicas()
    {
        await using var world = await VantiqWorld.StartAsync();

        var run = world.Run("--target=UpgradeMinor", "--to=1.31.0");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        var audit = world.Audit();
        var steps = Steps(audit);
        Assert.That(steps, Is.EqualTo(new[]
        {
            "vantiq=0", "metrics-collector=0", "vision-analytics=0",
            "create job", "image vantiq", "image metrics-collector",
            "vantiq=1",
            "vantiq=3", "metrics-collector=1", "vision-analytics=2",
        }), string.Join(", ", steps));
        // While vantiq ran at 1, nothing else was scaled up.
        Assert.That(audit.Where(a => a.Scale is not null).Select(a => a.Scale), Has.Exactly(1).EqualTo("vantiq=1"));

        Assert.That(await world.TagAsync("vantiq", "vantiq"), Is.EqualTo("1.31.0"));
        Assert.That(await world.TagAsync("vantiq", "load-model"), Is.EqualTo("1.31.0"));
        Assert.That(await world.TagAsync("vision-analytics", "vision-analytics"), Is.EqualTo("1.30.10"), "another image repository is not the Vantiq version");
        await world.WaitForReplicasAsync(("vantiq", 3), ("metrics-collector", 1), ("vision-analytics", 2));
        var annotations = await world.AnnotationsAsync("vantiq");
        Assert.That(annotations.Keys, Does.Not.Contain("kuberunbooks.io/operation").And.Not.Contain("kuberunbooks.io/original-replicas"));
        Assert.That(annotations["kuberunbooks.io/previous-image"], Is.EqualTo("quay.io/vantiq/vantiq-server:1.30.10"));
        var backupId = annotations["kuberunbooks.io/backup-id"];
        var job = await world.Client.BatchV1.ReadNamespacedJobAsync(backupId, "vantiq");
        Assert.That(job.Status.Conditions, Has.Some.Matches<V1JobCondition>(c => c.Type == "Complete" && c.Status == "True"));
        Assert.That(job.Metadata.Annotations["cronjob.kubernetes.io/instantiate"], Is.EqualTo("manual"));

        var facts = Facts(run.ReportFolder!);
        Assert.Multiple(() =>
        {
            Assert.That(facts["versionBefore"], Is.EqualTo("1.30.10"));
            Assert.That(facts["versionAfter"], Is.EqualTo("1.31.0"));
            Assert.That(facts["backupId"], Is.EqualTo(backupId));
            Assert.That(facts["migrationExitCode"], Is.EqualTo("0"));
            Assert.That(facts["downtime"], Does.Match(@"^\d\d:\d\d:\d\d$"));
            Assert.That(facts["replicasRestored"], Is.EqualTo("vantiq 3, metrics-collector 1, vision-analytics 2"));
        });
        Assert.That(run.Output, Does.Contain("load-model | load-model: model is up to date at version 1.31.0"));
        var everything = run.Output + run.Error + string.Concat(Directory.GetFiles(run.ReportFolder!).Select(File.ReadAllText));
        Assert.That(everything, Does.Not.Contain(world.Cluster.Token), "the bearer token never reaches the output or the report");
        Assert.That(TaskOrder(run.ReportFolder!), Is.EqualTo(new[]
        {
            "VantiqPreflight", "Lock", "RecordVantiqReplicas", "StopVantiq", "BackupMongo", "DeployVantiq", "HoldForMigration",
            "WaitSchemaMigration", "WaitVantiqReady", "RestoreVantiqReplicas", "VantiqReport", "UpgradeMinor",
        }));
        var lease = await world.Client.CoordinationV1.ReadNamespacedLeaseAsync("kuberunbooks-lock", "vantiq");
        Assert.That(lease.Spec.HolderIdentity, Is.Null.Or.Empty, "the lock is released at the end");
    }

    [Test]
    public async Task UpgradeMinor_rides_out_server_errors_throttling_and_dropped_watches()
    {
        await using var world = await VantiqWorld.StartAsync();
        world.Cluster.Faults.AddHttpFault(new HttpFault { Method = "PATCH", PathPattern = "/statefulsets/vantiq/scale$", Status = 500, Remaining = 2 });
        world.Cluster.Faults.AddHttpFault(new HttpFault { Method = "POST", PathPattern = "/jobs$", Status = 429, RetryAfterSeconds = 1, Remaining = 1 });
        world.Cluster.Faults.DropWatchesAfterEvents = 2;
        world.Cluster.Faults.GoneOnNextWatch();

        var run = world.Run("--target=UpgradeMinor", "--to=1.31.0");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(run.Output, Does.Contain("HTTP 500").And.Contain("HTTP 429"), "each retry is logged");
        Assert.That(world.Audit().Count(a => a.Resource == "jobs" && a.Verb == "create" && a.Code == 201), Is.EqualTo(1), "one backup Job despite the 429");
        Assert.That(await world.TagAsync("vantiq", "vantiq"), Is.EqualTo("1.31.0"));
        await world.WaitForReplicasAsync(("vantiq", 3), ("metrics-collector", 1), ("vision-analytics", 2));
    }

    [Test]
    public async Task Replicas_restored_are_the_recorded_ones_not_the_profile_defaults()
    {
        await using var world = await VantiqWorld.StartAsync();
        await world.Client.AppsV1.PatchNamespacedStatefulSetScaleAsync(new V1Patch("{\"spec\":{\"replicas\":2}}", V1Patch.PatchType.MergePatch), "vantiq", "vantiq");
        await world.Client.AppsV1.DeleteNamespacedStatefulSetAsync("vision-analytics", "vantiq");
        await world.WaitForReplicasAsync(("vantiq", 2));

        var run = world.Run("--target=UpgradeMinor", "--to=1.31.0");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(run.Output, Does.Contain("vision-analytics is not installed: skipped"));
        Assert.That(Steps(world.Audit()), Does.Contain("vantiq=2").And.Not.Contain("vantiq=3").And.Not.Contain("vision-analytics=0"));
        await world.WaitForReplicasAsync(("vantiq", 2), ("metrics-collector", 1));
    }

    [Test]
    public async Task A_failed_backup_ends_the_run_before_any_deploy_and_brings_the_workloads_back()
    {
        await using var world = await VantiqWorld.StartAsync();
        world.Cluster.Faults.FailingJobs.Add("^mongobackup-");

        var run = world.Run("--target=UpgradeMinor", "--to=1.31.0");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        Assert.That(run.Output + run.Error, Does.Contain("The MongoDB backup failed").And.Contain("nothing was deployed"));
        var audit = world.Audit();
        Assert.That(audit.Any(a => a.IsImageChange), Is.False, "nothing was deployed");
        Assert.That(Steps(audit), Is.EqualTo(new[]
        {
            "vantiq=0", "metrics-collector=0", "vision-analytics=0", "create job",
            "vantiq=3", "metrics-collector=1", "vision-analytics=2",
        }));
        await world.WaitForReplicasAsync(("vantiq", 3), ("metrics-collector", 1), ("vision-analytics", 2));
        Assert.That(await world.TagAsync("vantiq", "vantiq"), Is.EqualTo("1.30.10"));
        Assert.That((await world.AnnotationsAsync("vantiq")).Keys, Does.Not.Contain("kuberunbooks.io/operation"));
        Assert.That(TaskOutcome(run.ReportFolder!, "BackupMongo"), Is.EqualTo("Failed"));
    }

    [Test]
    public async Task A_failed_migration_shows_the_log_tail_and_the_exact_rollback_which_then_works()
    {
        await using var world = await VantiqWorld.StartAsync();
        world.Cluster.Faults.ContainerExits.Add(new ContainerExit("^vantiq-0$", "load-model", 3));

        var run = world.Run("--target=UpgradeMinor", "--to=1.31.0");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        var backupId = (await world.AnnotationsAsync("vantiq"))["kuberunbooks.io/backup-id"];
        var rollback = $"./build.sh --target=RollbackMinor --cluster=test --backup={backupId}";
        Assert.That(run.Output + run.Error, Does.Contain("exited with code 3").And.Contain(rollback));
        Assert.That(Steps(world.Audit()), Does.Not.Contain("vantiq=3"), "the replicas stay down");
        Assert.That(TaskOutcome(run.ReportFolder!, "WaitSchemaMigration"), Is.EqualTo("Failed"));

        world.Cluster.Faults.ContainerExits.Clear();
        var before = world.Audit().Count;
        var back = world.Run(rollback.Split(' ').Skip(1).Where(a => !a.StartsWith("--cluster=", StringComparison.Ordinal)).ToArray());

        Assert.That(back.ExitCode, Is.EqualTo(0), back.Output + back.Error);
        var audit = world.Audit().Skip(before).ToList();
        var restore = audit.Single(a => a.Resource == "jobs" && a.Verb == "create");
        Assert.That(restore.Name, Does.StartWith("mongobackup-restore-"));
        Assert.That(restore.Body!.ToJsonString(), Does.Contain(backupId), "the restore Job is given the upgrade's backup");
        Assert.That(Steps(audit), Is.EqualTo(new[] { "vantiq=0", "create job", "image vantiq", "image metrics-collector", "vantiq=1", "vantiq=3", "metrics-collector=1", "vision-analytics=2" }));
        Assert.That(await world.TagAsync("vantiq", "vantiq"), Is.EqualTo("1.30.10"));
        Assert.That(back.Output, Does.Contain($"mongorestore: restored {backupId}"));
        var annotations = await world.AnnotationsAsync("vantiq");
        Assert.That(annotations.Keys, Does.Not.Contain("kuberunbooks.io/operation").And.Not.Contain("kuberunbooks.io/backup-id"));
    }

    [Test]
    public async Task RollbackMinor_after_an_upgrade_restores_its_backup_and_returns_the_previous_tag()
    {
        await using var world = await VantiqWorld.StartAsync();
        Assert.That(world.Run("--target=UpgradeMinor", "--to=1.31.0").ExitCode, Is.EqualTo(0));
        var backupId = (await world.AnnotationsAsync("vantiq"))["kuberunbooks.io/backup-id"];

        var run = world.Run("--target=RollbackMinor");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(await world.TagAsync("vantiq", "vantiq"), Is.EqualTo("1.30.10"));
        Assert.That(await world.TagAsync("vantiq", "load-model"), Is.EqualTo("1.30.10"));
        Assert.That(Facts(run.ReportFolder!)["restoredBackup"], Is.EqualTo(backupId));
        await world.WaitForReplicasAsync(("vantiq", 3), ("metrics-collector", 1), ("vision-analytics", 2));

        var again = world.Run("--target=RollbackMinor");
        Assert.That(again.ExitCode, Is.EqualTo(2), "the rollback used up what it returned to");
        Assert.That(again.Error, Does.Contain("No backup is recorded").Or.Contain("No previous image is recorded"));
    }

    [Test]
    public async Task A_run_killed_at_any_point_is_resumed_by_the_next_without_a_second_backup()
    {
        await using var world = await VantiqWorld.StartAsync(readinessDelay: TimeSpan.FromMilliseconds(400));
        using (var host = KillableHost.Start(world.Workspace.Folder, "--cluster=test", "--target=UpgradeMinor", "--to=1.31.0"))
        {
            // Kill it once the image has changed: stopped, backed up, deployed, migration under way.
            await host.KillWhenAsync(() => Task.FromResult(world.Audit().Any(a => a.IsImageChange)), "the image change", TimeSpan.FromSeconds(60));
        }
        Assert.That((await world.AnnotationsAsync("vantiq")).Keys, Does.Contain("kuberunbooks.io/operation"));

        var run = world.Run("--target=UpgradeMinor", "--to=1.31.0");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(run.Output, Does.Contain("Resuming the unfinished UpgradeMinor 1.30.10 -> 1.31.0"));
        Assert.That(world.Audit().Count(a => a.Resource == "jobs" && a.Verb == "create"), Is.EqualTo(1), "one backup only");
        Assert.That(world.Audit().Count(a => a.IsImageChange && a.Name == "vantiq"), Is.EqualTo(1), "deployed once");
        await world.WaitForReplicasAsync(("vantiq", 3), ("metrics-collector", 1), ("vision-analytics", 2));
        Assert.That(Facts(run.ReportFolder!)["versionBefore"], Is.EqualTo("1.30.10"), "the version before comes from the record");
    }

    [Test]
    public async Task A_run_killed_before_the_backup_finished_follows_that_backup_on_rerun()
    {
        await using var world = await VantiqWorld.StartAsync(readinessDelay: TimeSpan.FromMilliseconds(400));
        using (var host = KillableHost.Start(world.Workspace.Folder, "--cluster=test", "--target=UpgradeMinor", "--to=1.31.0"))
        {
            await host.KillWhenAsync(() => Task.FromResult(world.Audit().Any(a => a.Resource == "jobs" && a.Verb == "create")), "the backup Job", TimeSpan.FromSeconds(60));
        }

        var run = world.Run("--target=UpgradeMinor", "--to=1.31.0");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(world.Audit().Count(a => a.Resource == "jobs" && a.Verb == "create"), Is.EqualTo(1), "no second backup");
        Assert.That(run.Output, Does.Contain("already exists: following it"));
    }

    [Test]
    public async Task A_rerun_after_vantiq_was_back_up_does_not_stop_it_again()
    {
        await using var world = await VantiqWorld.StartAsync();
        world.Cluster.Faults.NeverReadyPods.Add("^vantiq-2$");
        world.Workspace.WriteKubeconfigProfile("short", world.Cluster.KubeconfigPath,
            $"timeouts: {{ podReady: 3s }}\nvantiq:\n  restoreCommand: '{VantiqWorld.RestoreCommand}'\n");

        var first = world.Workspace.Run("--cluster=short", "--target=UpgradeMinor", "--to=1.31.0");

        Assert.That(first.ExitCode, Is.EqualTo(1), first.Output + first.Error);
        Assert.That(TaskOutcome(first.ReportFolder!, "RestoreVantiqReplicas"), Is.EqualTo("Failed"));
        Assert.That(first.Output + first.Error, Does.Contain("Timed out").And.Contain("statefulset vantiq/vantiq"));
        world.Cluster.Faults.NeverReadyPods.Clear();
        await world.Client.CoreV1.DeleteNamespacedPodAsync("vantiq-2", "vantiq");
        var before = world.Audit().Count;

        var rerun = world.Workspace.Run("--cluster=short", "--target=UpgradeMinor", "--to=1.31.0");

        Assert.That(rerun.ExitCode, Is.EqualTo(0), rerun.Output + rerun.Error);
        Assert.That(rerun.Output, Does.Contain("StopVantiq skipped"));
        Assert.That(Steps(world.Audit().Skip(before)), Has.None.EqualTo("vantiq=0").And.None.EqualTo("vantiq=1").And.None.EqualTo("create job"));
        await world.WaitForReplicasAsync(("vantiq", 3), ("metrics-collector", 1), ("vision-analytics", 2));
    }

    [Test]
    public async Task With_fresh_a_rerun_takes_a_new_backup()
    {
        await using var world = await VantiqWorld.StartAsync();
        world.Cluster.Faults.ContainerExits.Add(new ContainerExit("^vantiq-0$", "load-model", 1));
        Assert.That(world.Run("--target=UpgradeMinor", "--to=1.31.0").ExitCode, Is.EqualTo(1));
        world.Cluster.Faults.ContainerExits.Clear();

        var refused = world.Run("--target=UpgradePatch", "--to=1.31.1");
        Assert.That(refused.ExitCode, Is.EqualTo(2), "another target is refused while an upgrade is unfinished");
        Assert.That(refused.Error, Does.Contain("unfinished UpgradeMinor 1.30.10 -> 1.31.0").And.Contain("--fresh"));

        var run = world.Run("--target=UpgradeMinor", "--to=1.32.0", "--fresh");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(world.Audit().Count(a => a.Resource == "jobs" && a.Verb == "create"), Is.EqualTo(2));
        Assert.That(await world.TagAsync("vantiq", "vantiq"), Is.EqualTo("1.32.0"));
    }

    [Test]
    public async Task A_second_run_while_another_holds_the_lock_exits_3_and_changes_nothing()
    {
        await using var world = await VantiqWorld.StartAsync();
        await world.Client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "kuberunbooks-lock", NamespaceProperty = "vantiq" },
            Spec = new V1LeaseSpec { HolderIdentity = "ops-laptop:4242:20261202-010000-UpgradeMinor", LeaseDurationSeconds = 600, RenewTime = DateTime.UtcNow, AcquireTime = DateTime.UtcNow },
        }, "vantiq");
        var before = world.Audit().Count;

        var run = world.Run("--target=UpgradeMinor", "--to=1.31.0");

        Assert.That(run.ExitCode, Is.EqualTo(3), run.Output + run.Error);
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(run.Error, Does.Contain("ops-laptop:4242:20261202-010000-UpgradeMinor"));
        Assert.That(world.Audit().Skip(before), Is.Empty, "nothing was changed");
    }

    [Test]
    public async Task A_lock_left_by_a_killed_run_on_this_machine_is_taken_over_at_once()
    {
        await using var world = await VantiqWorld.StartAsync();
        using var dead = Process.Start("true")!;
        dead.WaitForExit();
        var holder = $"{Environment.MachineName}:{dead.Id}:20261202-010000-UpgradeMinor";
        await world.Client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "kuberunbooks-lock", NamespaceProperty = "vantiq" },
            Spec = new V1LeaseSpec { HolderIdentity = holder, LeaseDurationSeconds = 600, RenewTime = DateTime.UtcNow, AcquireTime = DateTime.UtcNow },
        }, "vantiq");

        var run = world.Run("--target=MongoBackup");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(run.Output, Does.Contain($"Taking over the lock of run {holder}"));
    }

    /// <summary>The audit log as the issue states the order: replica changes, the backup Job, image changes.</summary>
    internal static List<string> Steps(IEnumerable<AuditLine> audit) =>
        audit.Select(a => a.Scale
                ?? (a.Resource == "jobs" && a.Verb == "create" ? "create job" : null)
                ?? (a.IsImageChange ? "image " + a.Name : null))
            .OfType<string>().ToList();

    internal static Dictionary<string, string> Facts(string reportFolder)
    {
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(reportFolder, "report.json")));
        var facts = new Dictionary<string, string>();
        foreach (var task in report.RootElement.GetProperty("tasks").EnumerateArray())
        {
            if (!task.TryGetProperty("facts", out var f)) continue;
            foreach (var p in f.EnumerateObject()) facts[p.Name] = p.Value.ToString();
        }
        return facts;
    }

    internal static List<string> TaskOrder(string reportFolder)
    {
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(reportFolder, "report.json")));
        return report.RootElement.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).ToList();
    }

    internal static string TaskOutcome(string reportFolder, string task)
    {
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(reportFolder, "report.json")));
        return report.RootElement.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("name").GetString() == task).GetProperty("outcome").GetString()!;
    }
}

using System.Diagnostics;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using KubeRunbooks.Backups;
using KubeRunbooks.Simulator.Faults;
using KubeRunbooks.Tests.Frosting;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Exastro;

/// <summary>
/// ExastroBackup and ExastroRestore failing, through the built host on the shared-server scenario: a mysqldump exiting
/// non-zero, an exec stream cut mid-dump, the maintenance pod never ready, a run killed with SIGKILL and run again, a
/// corrupted set. Each leaves no file under a final name, no maintenance pod, the services at their recorded
/// replicas, and no password in its output.
/// </summary>
[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ExastroFaultTests
{
    private ExastroWorld _world = null!;
    private string _goodSet = null!;
    private IReadOnlyDictionary<string, int> _replicas = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _world = await ExastroWorld.StartAsync("exastro");
        await _world.SqlAsync("mariadb", "CREATE TABLE IF NOT EXISTS platform.menu (id INT PRIMARY KEY, name TEXT); INSERT INTO platform.menu VALUES (1, 'メニュー');");
        await _world.ScaleAsync("ita-by-conductor-synchronize", 2);
        _replicas = await _world.ReplicasAsync();
        var run = _world.Run("--cluster=test", "--target=ExastroBackup");
        Assert.That(run.ExitCode, Is.Zero, run.Output + run.Error);
        _goodSet = _world.NewestSet();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_world is not null) await _world.DisposeAsync();
    }

    [TearDown]
    public void ClearFaults()
    {
        _world.Cluster.Faults.ExecCuts.Clear();
        _world.Cluster.Faults.NeverReadyPods.Clear();
        _world.WriteProfile();
    }

    [Test]
    public async Task A_mysqldump_exiting_non_zero_leaves_no_dump_deletes_the_pod_and_starts_the_services_again()
    {
        const string Wrong = "wrong-admin-password-7731";
        await SetPlatformPasswordAsync(Wrong);
        try
        {
            var run = _world.Run("--cluster=test", "--target=ExastroBackup");

            Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
            Assert.That(run.Error, Does.Contain("The dump exastro_mysqldump_platform_db_").And.Contain("exited with code").And.Contain("services were started again"));
            await AssertCleanAsync(_world.NewestSet(), run, Wrong);
        }
        finally
        {
            await SetPlatformPasswordAsync(ExastroWorld.PlatformPassword);
        }
    }

    [Test]
    public async Task An_exec_stream_cut_mid_dump_leaves_no_dump_deletes_the_pod_and_starts_the_services_again()
    {
        _world.Cluster.Faults.ExecCuts.Add(new ExecCut("^exastro-maintenance$", 20_000));

        var run = _world.Run("--cluster=test", "--target=ExastroBackup");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        Assert.That(run.Error, Does.Contain("without an exit status").And.Contain("services were started again"));
        await AssertCleanAsync(_world.NewestSet(), run);
    }

    [Test]
    public async Task A_maintenance_pod_never_ready_is_deleted_and_the_services_start_again()
    {
        _world.Cluster.Faults.NeverReadyPods.Add("^exastro-maintenance$");
        _world.WriteProfile(timeouts: "timeouts: { default: 60s, podReady: 8s, rollout: 60s }");

        var run = _world.Run("--cluster=test", "--target=ExastroBackup");

        Assert.That(run.ExitCode, Is.Not.Zero, run.Output + run.Error);
        Assert.That(run.Error, Does.Contain("Starting the maintenance pod exastro/exastro-maintenance failed").And.Contain("services were started again"));
        await AssertCleanAsync(_world.NewestSet(), run);
    }

    [Test]
    public async Task A_run_killed_with_SIGKILL_while_stopped_is_finished_by_the_next_run_at_the_recorded_replicas()
    {
        _world.Cluster.Faults.NeverReadyPods.Add("^exastro-maintenance$");
        using (var host = StartHost("--cluster=test", "--target=ExastroBackup"))
        {
            await Eventually.UntilAsync(async () => (await _world.PodNamesAsync()).Contains("exastro-maintenance"), "the killed run's maintenance pod exists");
            host.Kill(); // SIGKILL: no finally, no clean-up
            await host.WaitForExitAsync();
        }
        Assert.That((await _world.ReplicasAsync()).Values, Is.All.Zero, "the killed run left the services stopped");
        _world.Cluster.Faults.NeverReadyPods.Clear();

        var rerun = _world.Run("--cluster=test", "--target=ExastroBackup");

        Assert.That(rerun.ExitCode, Is.Zero, rerun.Output + rerun.Error);
        Assert.That(await _world.ReplicasAsync(), Is.EqualTo(_replicas), "back at the replicas recorded before the first stop, not the 0 the rerun found");
        Assert.That(await _world.PodNamesAsync(), Does.Not.Contain("exastro-maintenance"));
        var proxy = await _world.Client.AppsV1.ReadNamespacedDeploymentAsync("platform-auth", ExastroWorld.Ns);
        Assert.That(proxy.Metadata.Annotations ?? new Dictionary<string, string>(), Does.Not.ContainKey("kuberunbooks.io/operation"));
        Assert.That((await BackupVerifier.VerifyAsync(_world.NewestSet())).IsGood, Is.True);
    }

    [Test]
    public async Task A_restore_failing_midway_names_the_file_and_starts_the_services_again()
    {
        const string Wrong = "wrong-admin-password-5120";
        await SetPlatformPasswordAsync(Wrong);
        try
        {
            var run = _world.Run("--cluster=test", "--target=ExastroRestore", "--backup=" + Path.GetFileName(_goodSet));

            Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
            Assert.That(run.Error, Does.Contain("Restoring exastro_mysqldump_platform_user_").And.Contain("failed")
                .And.Contain("The maintenance pod exastro/exastro-maintenance was deleted and the services were started again"));
            Assert.That(await _world.PodNamesAsync(), Does.Not.Contain("exastro-maintenance"));
            Assert.That(await _world.ReplicasAsync(), Is.EqualTo(_replicas));
            Assert.That(run.Output + run.Error + File.ReadAllText(_world.Cluster.AuditLogPath), Does.Not.Contain(Wrong).And.Not.Contain(ExastroWorld.PlatformPassword));
        }
        finally
        {
            await SetPlatformPasswordAsync(ExastroWorld.PlatformPassword);
        }
    }

    [Test]
    public async Task A_maintenance_pod_made_by_hand_is_refused_and_nothing_changes()
    {
        await _world.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "exastro-maintenance" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "m", Image = "mariadb:10.9", Command = ["sleep", "3600"] }] },
        }, ExastroWorld.Ns);
        try
        {
            var before = _world.Audit().Count;

            var run = _world.Run("--cluster=test", "--target=ExastroBackup");

            Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
            Assert.That(run.Error.Trim(), Does.StartWith("error: Pod exastro/exastro-maintenance exists and was not created by this tool"));
            Assert.That(_world.Audit().Skip(before), Is.Empty, "no request changed anything");
            Assert.That(await _world.ReplicasAsync(), Is.EqualTo(_replicas));
        }
        finally
        {
            await _world.Client.CoreV1.DeleteNamespacedPodAsync("exastro-maintenance", ExastroWorld.Ns, gracePeriodSeconds: 0);
            await Eventually.UntilAsync(async () => !(await _world.PodNamesAsync()).Contains("exastro-maintenance"), "the hand-made pod is gone");
        }
    }

    [Test]
    public void A_corrupted_set_is_refused_before_anything_stops()
    {
        var copy = Path.Combine(_world.BackupFolder, "exastro-corrupted");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(_goodSet)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        var dump = Directory.GetFiles(copy, "exastro_mysqldump_platform_db_*").Single();
        var bytes = File.ReadAllBytes(dump);
        bytes[bytes.Length / 2] ^= 0x5a;
        File.WriteAllBytes(dump, bytes);
        var before = _world.Audit().Count;

        var run = _world.Run("--cluster=test", "--target=ExastroRestore", "--backup=exastro-corrupted");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), run.Error);
        Assert.That(run.Error, Does.StartWith("error: ").And.Contain("exastro_mysqldump_platform_db_").And.Contain("Nothing was stopped"));
        Assert.That(_world.Audit().Skip(before).Where(a => a.Verb is not ("get" or "list" or "watch")), Is.Empty, "no request changed anything");
    }

    [Test]
    public void A_restore_without_backup_or_of_an_unknown_set_is_one_error_line_and_exit_2()
    {
        var none = _world.Run("--cluster=test", "--target=ExastroRestore");
        var unknown = _world.Run("--cluster=test", "--target=ExastroRestore", "--backup=exastro-20000101-000000");

        Assert.That(none.ExitCode, Is.EqualTo(2), none.Output + none.Error);
        Assert.That(none.Error.Trim(), Does.StartWith("error: --backup=SET is required"));
        Assert.That(unknown.ExitCode, Is.EqualTo(2), unknown.Output + unknown.Error);
        Assert.That(unknown.Error.Trim(), Does.StartWith("error: There is no backup set 'exastro-20000101-000000'"));
    }

    [Test]
    public void The_dry_run_lists_every_step_with_the_maintenance_pods_manifest_and_changes_nothing()
    {
        var before = _world.Audit().Count;

        var backup = _world.Run("--cluster=test", "--target=ExastroBackup", "--dryrun");
        var restore = _world.Run("--cluster=test", "--target=ExastroRestore", "--backup=" + Path.GetFileName(_goodSet), "--dryrun");

        Assert.That(backup.ExitCode, Is.Zero, backup.Output + backup.Error);
        Assert.That(restore.ExitCode, Is.Zero, restore.Output + restore.Error);
        foreach (var step in new[] { "ExportExastroEncryptionKey", "Lock", "StopExastro", "StartMaintenancePod", "DumpExastroDatabases", "ArchiveExastroStorage", "DeleteMaintenancePod", "StartExastro" })
            Assert.That(backup.Output, Does.Contain(step));
        foreach (var step in new[] { "CheckExastroBackupSet", "RestoreExastroDatabases", "RestoreExastroStorage", "RestoreExastroEncryptionKey" })
            Assert.That(restore.Output, Does.Contain(step));
        Assert.That(backup.Output, Does.Contain("image: mariadb:10.9").And.Contain("runAsUser: 1000").And.Contain("runAsNonRoot: true")
            .And.Contain("allowPrivilegeEscalation: false").And.Contain("claimName: pvc-ita-global").And.Contain("mountPath: /storage")
            .And.Contain("name: PF_DB_ADMIN_PASSWORD").And.Contain("--all-databases --add-drop-table").And.Contain("--allow-keywords mysql")
            .And.Contain("scale deployment exastro/platform-auth to 0"));
        Assert.That(restore.Output, Does.Contain("strip DEFINER").And.Contain("exastro_storage_backup_ita_"));
        Assert.That(_world.Audit().Skip(before).Where(a => a.Verb is not ("get" or "list" or "watch")), Is.Empty, "the dry run changed nothing");
    }

    // No dump or archive under a final name, no partial file, the set marked failed; no maintenance pod; the
    // services at the replicas recorded before the stop; no password anywhere in the run's output or report.
    private async Task AssertCleanAsync(string set, HostRun run, params string[] secrets)
    {
        Assert.That(set, Is.Not.EqualTo(_goodSet), "the failed run made its own set");
        var names = Directory.GetFiles(set).Select(Path.GetFileName).ToList();
        Assert.That(names.Where(n => n!.StartsWith("exastro_mysqldump_", StringComparison.Ordinal) || n!.StartsWith("exastro_storage_", StringComparison.Ordinal) || n!.EndsWith(".partial", StringComparison.Ordinal)), Is.Empty, string.Join(", ", names));
        Assert.That(BackupManifest.TryRead(set, out _)?.Result, Is.EqualTo(BackupManifest.Failed));
        Assert.That(await _world.PodNamesAsync(), Does.Not.Contain("exastro-maintenance"));
        Assert.That(await _world.ReplicasAsync(), Is.EqualTo(_replicas));
        var report = run.ReportFolder is { } folder ? string.Join("\n", Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith("audit.jsonl", StringComparison.Ordinal)).Select(File.ReadAllText)) : "";
        // The API server's audit log records every exec's command: the password was never in one.
        var audit = File.ReadAllText(_world.Cluster.AuditLogPath);
        Assert.That(audit, Does.Contain("exec"), "the audit log records the execs");
        foreach (var secret in secrets.Append(ExastroWorld.PlatformPassword))
            Assert.That(run.Output + run.Error + report + audit, Does.Not.Contain(secret));
    }

    private async Task SetPlatformPasswordAsync(string password)
    {
        var patch = JsonSerializer.Serialize(new { stringData = new Dictionary<string, string> { ["DB_ADMIN_PASSWORD"] = password } });
        await _world.Client.CoreV1.PatchNamespacedSecretAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), "platform-secret-pf-database", ExastroWorld.Ns);
    }

    private Process StartHost(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, WorkingDirectory = _world.Workspace.Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["NO_COLOR"] = "1";
        start.ArgumentList.Add(RepositoryPaths.HostDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }
}

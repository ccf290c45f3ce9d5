using System.Text;
using k8s;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Kamonohashi;

/// <summary>
/// RotateDatabasePassword through the built host against the real PostgreSQL of the KAMONOHASHI scenario: the new value
/// from a variable or a file (never an argument; none on a CI runner is exit 2), a real login with the new password and
/// none with the old, the Secret and its consumer rolled out, a failure midway that leaves the old password working,
/// and the value nowhere in the output, the reports or the API server's audit log (exec argv included).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RotateDatabasePasswordCommandLineTests
{
    private PostgresWorld _world = null!;
    private string _current = PostgresWorld.ScenarioPassword;

    [OneTimeSetUp]
    public async Task StartAsync() => _world = await PostgresWorld.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _world.DisposeAsync();

    [SetUp]
    public void Profile() => _world.WriteProfile();

    [Test]
    [Order(1)]
    public async Task The_new_password_from_a_variable_logs_in_the_old_does_not_and_the_consumer_rolls_out()
    {
        const string next = "n3w-Pw'with\"quotes ✓";
        var appPods = await AppPodsAsync();

        var run = _world.Run(new Dictionary<string, string> { ["KUBERUNBOOKS_DB_PASSWORD"] = next }, "--cluster=db", "--target=RotateDatabasePassword");

        Assert.That(run.ExitCode, Is.Zero, run.Output + run.Error);
        Assert.That(await LoginAsync(next), Is.Zero, "the new password logs in through the Service");
        Assert.That(await LoginAsync(_current), Is.Not.Zero, "the old one no longer does");
        Assert.That(await SecretPasswordAsync(), Is.EqualTo(next));
        Assert.That((await AppPodsAsync()).Intersect(appPods), Is.Empty, "platypus-web-api rolled out: its pods read the new value");
        Assert.That(run.Output, Does.Contain("rolled out: platypus-web-api"));
        AssertNowhere(next, run);
        AssertNowhere(_current, run);
        _current = next;
    }

    [Test]
    [Order(2)]
    public async Task The_new_password_from_a_file_works_and_a_rollout_failure_midway_puts_the_old_one_back()
    {
        var file = Path.Combine(_world.Root, "db-password.txt");
        await File.WriteAllTextAsync(file, "from-a-file-Pw1\n");
        _world.Cluster.Faults.NeverReadyPods.Add("^platypus-web-api-");
        _world.Workspace.WriteKubeconfigProfile("db", _world.Cluster.KubeconfigPath,
            $"timeouts: {{ default: 60s, podReady: 60s, rollout: 4s }}\nbackups:\n  folder: {_world.BackupFolder}\nkamonohashi: {{}}\n");
        HostRunResult failed;
        try
        {
            failed = new(_world.Run("--cluster=db", "--target=RotateDatabasePassword", $"--db-password-file={file}"));
        }
        finally
        {
            _world.Cluster.Faults.NeverReadyPods.Remove("^platypus-web-api-");
        }

        Assert.That(failed.Run.ExitCode, Is.EqualTo(1), failed.Run.Output + failed.Run.Error);
        // The consumer never becomes ready, also after the way back: the message says the rest was put back and names it.
        Assert.That(failed.Run.Output + failed.Run.Error, Does.Contain("UpdateDatabaseSecret failed (Timed out after 4s waiting for deployment kqi-system/platypus-web-api")
            .And.Contain("putting the old password back failed in part: rollout of deployment kqi-system/platypus-web-api"));
        Assert.That(await LoginAsync(_current), Is.Zero, "the old password still logs in");
        Assert.That(await LoginAsync("from-a-file-Pw1"), Is.Not.Zero);
        Assert.That(await SecretPasswordAsync(), Is.EqualTo(_current), "the Secret holds the old value again");
        AssertNowhere("from-a-file-Pw1", failed.Run);

        _world.WriteProfile();
        var run = _world.Run("--cluster=db", "--target=RotateDatabasePassword", $"--db-password-file={file}");

        Assert.That(run.ExitCode, Is.Zero, run.Output + run.Error);
        Assert.That(await LoginAsync("from-a-file-Pw1"), Is.Zero, "the file's line end is not part of the value");
        _current = "from-a-file-Pw1";
    }

    [Test]
    public async Task With_no_value_on_a_CI_runner_it_is_exit_2_and_nothing_changes()
    {
        var run = _world.Run(new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = Path.Combine(_world.Workspace.Folder, "summary.md") }, "--cluster=db", "--target=RotateDatabasePassword");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), run.Error);
        Assert.That(run.Error, Does.StartWith("error: DB Password is needed").And.Contain("KUBERUNBOOKS_DB_PASSWORD"));
        Assert.That(await LoginAsync(_current), Is.Zero);
    }

    [Test]
    public async Task A_value_on_the_command_line_is_refused_and_never_shown()
    {
        var run = _world.Run("--cluster=db", "--target=RotateDatabasePassword", "--db-password=typed-in-argv-123");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error, Does.StartWith("error: DB Password is never taken from the command line"));
        Assert.That(run.Output + run.Error, Does.Not.Contain("typed-in-argv-123"));
        Assert.That(await LoginAsync(_current), Is.Zero);
    }

    [Test]
    public void The_password_in_use_is_refused_as_nothing_to_change()
    {
        var run = _world.Run(new Dictionary<string, string> { ["KUBERUNBOOKS_DB_PASSWORD"] = _current }, "--cluster=db", "--target=RotateDatabasePassword");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error, Does.Contain("is the one in use"));
    }

    private sealed record HostRunResult(Support.HostRun Run);

    [Test]
    [Order(3)]
    public async Task RotateCredentials_refuses_a_bad_second_value_before_the_first_change()
    {
        var changes = File.ReadAllLines(_world.Cluster.AuditLogPath).Count(l => l.Contains("\"verb\":\"patch\"") || l.Contains("\"verb\":\"update\""));

        var run = _world.Run(new Dictionary<string, string> { ["KUBERUNBOOKS_DB_PASSWORD"] = "both-at-once-Pw2", ["KUBERUNBOOKS_STORAGE_SECRET_KEY"] = "short" },
            "--cluster=db", "--target=RotateCredentials");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error, Does.Contain("must be at least 8 characters"));
        Assert.That(await LoginAsync(_current), Is.Zero, "the database password was not changed");
        Assert.That(File.ReadAllLines(_world.Cluster.AuditLogPath).Count(l => l.Contains("\"verb\":\"patch\"") || l.Contains("\"verb\":\"update\"")), Is.EqualTo(changes));
    }

    [Test]
    [Order(4)]
    public async Task RotateCredentials_rotates_the_database_password_then_the_storage_key()
    {
        const string password = "both-at-once-Pw2";
        const string key = "both-at-once-storage-key-9";
        // The earlier tests rolled the app out and back; the preflight refuses (rightly) while the database does not
        // answer, so the test starts once it logs in with the password in use.
        await WaitForLoginAsync(_current);

        var run = _world.Run(new Dictionary<string, string> { ["KUBERUNBOOKS_DB_PASSWORD"] = password, ["KUBERUNBOOKS_STORAGE_SECRET_KEY"] = key },
            "--cluster=db", "--target=RotateCredentials");

        Assert.That(run.ExitCode, Is.Zero, run.Output + run.Error);
        Assert.That(await LoginAsync(password), Is.Zero, "the new database password logs in");
        Assert.That(await SecretPasswordAsync(), Is.EqualTo(password));
        var minio = await _world.Client.CoreV1.ReadNamespacedSecretAsync("minio-credential", PostgresWorld.Namespace);
        Assert.That(Encoding.UTF8.GetString(minio.Data["MINIO_SECRET_KEY"]), Is.EqualTo(key));
        Assert.That(run.Output, Does.Contain("ChangeDatabasePassword").And.Contain("RotateStorageSecret"));
        Assert.That(run.Output.IndexOf("ChangeDatabasePassword", StringComparison.Ordinal), Is.LessThan(run.Output.IndexOf("RotateStorageSecret", StringComparison.Ordinal)), "the database first, as the seed's credentials all");
        AssertNowhere(password, run);
        AssertNowhere(key, run);
        _current = password;
    }

    private Task WaitForLoginAsync(string password) =>
        Eventually.UntilAsync(async () => await LoginAsync(password) == 0, "the database accepts the password in use", TimeSpan.FromMinutes(2));

    private async Task<int> LoginAsync(string password) =>
        (await _world.ExecAsync(["psql", "-X", "-h", "postgres", "-U", "postgres", "-d", "postgres", "-w", "-tAc", "SELECT 1"],
            secrets: new Dictionary<string, string> { ["PGPASSWORD"] = password })).Code;

    private async Task<string> SecretPasswordAsync() =>
        Encoding.UTF8.GetString((await _world.Client.CoreV1.ReadNamespacedSecretAsync("postgres-credential", PostgresWorld.Namespace)).Data["POSTGRES_PASSWORD"]);

    private async Task<IReadOnlyList<string>> AppPodsAsync() =>
        (await _world.Client.CoreV1.ListNamespacedPodAsync(PostgresWorld.Namespace, labelSelector: "app=platypus-web-api")).Items.Select(p => p.Metadata.Name).ToList();

    // Output, every run report and the API server's audit log (which records each exec's command line).
    private void AssertNowhere(string secret, Support.HostRun run)
    {
        Assert.That(run.Output + run.Error, Does.Not.Contain(secret));
        foreach (var file in _world.Workspace.RunFolders.SelectMany(f => Directory.GetFiles(f, "*", SearchOption.AllDirectories)))
            Assert.That(File.ReadAllText(file), Does.Not.Contain(secret), file);
        Assert.That(File.ReadAllText(_world.Cluster.AuditLogPath), Does.Not.Contain(secret).And.Not.Contain(Uri.EscapeDataString(secret)), "no request carried it in its URL (exec argv)");
    }
}

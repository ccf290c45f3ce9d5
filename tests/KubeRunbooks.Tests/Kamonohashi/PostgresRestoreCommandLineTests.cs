using System.Text;
using k8s;
using KubeRunbooks.Backups;
using KubeRunbooks.Tests.Frosting;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Kamonohashi;

/// <summary>
/// PostgresRestore through the built host against the real PostgreSQL of the KAMONOHASHI scenario: seeded data
/// (non-ASCII text, a several-MB row, two databases, a role) backed up, wiped and restored byte for byte with the old
/// data folder kept aside; refusals before anything stops; a psql failure that puts the original folder back; and a
/// run killed after the move whose rerun finishes the restore.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PostgresRestoreCommandLineTests
{
    private const string Seed = """
        CREATE ROLE kqi_app LOGIN PASSWORD 'app-pw';
        CREATE DATABASE platypus OWNER kqi_app;
        CREATE DATABASE second;
        \connect platypus
        CREATE TABLE notes (id int PRIMARY KEY, body text);
        INSERT INTO notes SELECT g, 'ノート ' || g || ' ✓ Äöü' FROM generate_series(1, 2000) g;
        CREATE TABLE big (id int, payload text);
        INSERT INTO big VALUES (1, repeat('かものはし', 400000));
        ALTER TABLE notes OWNER TO kqi_app;
        \connect second
        CREATE TABLE t (v text);
        INSERT INTO t VALUES ('second database');
        """;

    private PostgresWorld _world = null!;
    private string _fingerprint = "";
    private string _set = "";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _world = await PostgresWorld.StartAsync();
        await _world.PsqlAsync(Seed);
        _fingerprint = await FingerprintAsync();
        var backup = _world.Run("--cluster=db", "--target=PostgresBackup", "--compress");
        Assert.That(backup.ExitCode, Is.Zero, backup.Output + backup.Error);
        _set = _world.Sets().Single();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _world.DisposeAsync();

    [Test]
    [Order(1)]
    public async Task A_wiped_database_is_restored_whole_and_the_old_data_folder_is_kept_aside()
    {
        await _world.PsqlAsync("DROP DATABASE platypus; DROP DATABASE second; DROP ROLE kqi_app; CREATE TABLE made_after_the_backup (v int);");
        var asideBefore = AsideFolders("aside");

        var run = _world.Run("--cluster=db", "--target=PostgresRestore", $"--backup={_set}");

        Assert.That(run.ExitCode, Is.Zero, run.Output + run.Error);
        await _world.WaitUntilAnsweringAsync();
        Assert.That(await FingerprintAsync(), Is.EqualTo(_fingerprint), "row counts and checksums of both databases, the several-MB row and the role");
        Assert.That(await _world.PsqlAsync("SELECT count(*) FROM pg_tables WHERE tablename = 'made_after_the_backup'"), Is.EqualTo("0"));
        var aside = AsideFolders("aside").Except(asideBefore).Single();
        Assert.Multiple(async () =>
        {
            Assert.That(File.Exists(Path.Combine(_world.DatabaseHostFolder, aside, "PG_VERSION")), Is.True, "the old data folder is kept whole beside the new one");
            Assert.That(run.Output, Does.Contain($"/var/lib/kamonohashi/postgresql/{aside}"), "the report names where it is");
            Assert.That(PostgresWorld.ReportFacts(run).GetValueOrDefault("dataAside"), Is.EqualTo($"/var/lib/kamonohashi/postgresql/{aside}"));
            Assert.That(await _world.ReplicasAsync("platypus-web-api"), Is.EqualTo((1, 1)), "the application is back");
            Assert.That(await _world.DatabaseAnnotationsAsync(), Does.Not.ContainKey("kuberunbooks.io/operation"));
            Assert.That((await _world.Client.CoreV1.ListNamespacedPodAsync(PostgresWorld.Namespace)).Items.Select(p => p.Metadata.Name), Has.None.Contains("-restore").And.None.Contains("-folders"));
        });
        // The restored server keeps the original authentication, not the restore pod's trust: a real login by the Service.
        var good = await _world.ExecAsync(["psql", "-X", "-h", "postgres", "-U", "kqi_app", "-d", "platypus", "-w", "-tAc", "SELECT count(*) FROM notes"], secrets: new Dictionary<string, string> { ["PGPASSWORD"] = "app-pw" });
        var bad = await _world.ExecAsync(["psql", "-X", "-h", "postgres", "-U", "kqi_app", "-d", "platypus", "-w", "-tAc", "SELECT 1"], secrets: new Dictionary<string, string> { ["PGPASSWORD"] = "wrong" });
        Assert.That((good.Code, good.Output.Trim()), Is.EqualTo((0, "2000")), good.Errors);
        Assert.That(bad.Errors, Does.Contain("password authentication failed"));
    }

    [Test]
    public async Task A_dry_run_lists_every_change_and_makes_none()
    {
        var run = _world.Run("--cluster=db", "--target=PostgresRestore", $"--backup={_set}", "--dryrun");

        Assert.That(run.ExitCode, Is.Zero, run.Output + run.Error);
        Assert.That(run.Output, Does.Contain("scale it to 0").And.Contain("rename /var/lib/kamonohashi/postgresql/data to /var/lib/kamonohashi/postgresql/data.kuberunbooks-aside-<time>")
            .And.Contain("with POSTGRES_HOST_AUTH_METHOD=trust").And.Contain($"with {_set}/kqi-backup-"));
        Assert.That(await _world.ReplicasAsync("postgres"), Is.EqualTo((1, 1)));
        Assert.That(await _world.DatabaseAnnotationsAsync(), Does.Not.ContainKey("kuberunbooks.io/operation"));
    }

    [TestCase("", "--backup=SET is required")]
    [TestCase("--backup=postgres-19990101-000000", "There is no backup set 'postgres-19990101-000000'")]
    public async Task A_missing_or_unknown_set_is_one_error_line_exit_2_and_nothing_stops(string argument, string expected)
    {
        var args = new[] { "--cluster=db", "--target=PostgresRestore", argument }.Where(a => a.Length > 0).ToArray();

        var run = _world.Run(args);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), run.Error);
        Assert.That(run.Error, Does.StartWith("error: ").And.Contain(expected));
        Assert.That(await _world.ReplicasAsync("platypus-web-api"), Is.EqualTo((1, 1)));
    }

    [Test]
    public async Task A_set_that_fails_verification_is_refused_before_anything_stops()
    {
        var copy = CopySet(_set, "postgres-20000101-000000");
        var file = Directory.GetFiles(copy, "kqi-backup-*").Single();
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(file, bytes);

        var run = _world.Run("--cluster=db", "--target=PostgresRestore", "--backup=postgres-20000101-000000");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error, Does.StartWith("error: The backup set postgres-20000101-000000 failed verification").And.Contain("nothing was stopped or changed"));
        Assert.That(await _world.ReplicasAsync("platypus-web-api"), Is.EqualTo((1, 1)));
        Assert.That(await _world.ReplicasAsync("postgres"), Is.EqualTo((1, 1)));
        Assert.That(await _world.DatabaseAnnotationsAsync(), Does.Not.ContainKey("kuberunbooks.io/operation"));
        Directory.Delete(copy, recursive: true);
    }

    [Test]
    [Order(2)]
    public async Task A_failing_psql_puts_the_original_data_folder_back_and_starts_everything_as_it_was()
    {
        await _world.PsqlAsync("CREATE TABLE IF NOT EXISTS still_here (v text); INSERT INTO still_here VALUES ('original');");
        var failedBefore = AsideFolders("failed-restore");
        var bad = await WriteSetAsync("\\set ON_ERROR_STOP on\nCREATE TABLE restore_probe (v int);\nINSERT INTO no_such_table VALUES (1);\n--\n-- PostgreSQL database cluster dump complete\n--\n");

        var run = _world.Run("--cluster=db", "--target=PostgresRestore", $"--backup={bad}");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        Assert.That(run.Output + run.Error, Does.Contain($"The restore of {bad} failed in RestorePostgresDump")
            .And.Contain("The original data folder was put back at /var/lib/kamonohashi/postgresql/data")
            .And.Contain("exited with code 3"));
        await _world.WaitUntilAnsweringAsync();
        Assert.That(await _world.PsqlAsync("SELECT v FROM still_here"), Is.EqualTo("original"));
        Assert.That(await _world.PsqlAsync("SELECT count(*) FROM pg_tables WHERE tablename = 'restore_probe'"), Is.EqualTo("0"));
        Assert.That(await _world.ReplicasAsync("platypus-web-api"), Is.EqualTo((1, 1)), "the application runs again");
        Assert.That(await _world.DatabaseAnnotationsAsync(), Does.Not.ContainKey("kuberunbooks.io/operation"));
        Assert.That(AsideFolders("failed-restore").Except(failedBefore).ToList(), Has.Count.EqualTo(1), "the unfinished restore is kept, not deleted");
    }

    [Test]
    [Order(3)]
    public async Task A_run_killed_after_the_move_is_finished_by_a_rerun_with_the_same_set()
    {
        await _world.PsqlAsync("DROP DATABASE IF EXISTS second;");
        var asideBefore = AsideFolders("aside");
        // The restore pod never becomes ready: the run waits after the move, where it is killed.
        _world.Cluster.Faults.NeverReadyPods.Add("^postgres-restore$");
        try
        {
            using var host = KillableHost.Start(_world.Workspace.Folder, "--cluster=db", "--target=PostgresRestore", $"--backup={_set}");
            await host.KillWhenAsync(async () => AsideFolders("aside").Except(asideBefore).Any() && await RestorePodExistsAsync(),
                "the move aside and the restore pod", TimeSpan.FromMinutes(2)); // SIGKILL
        }
        finally
        {
            _world.Cluster.Faults.NeverReadyPods.Remove("^postgres-restore$");
        }
        Assert.That(await _world.DatabaseAnnotationsAsync(), Does.ContainKey("kuberunbooks.io/operation"), "the killed run's operation is recorded");
        var failedBefore = AsideFolders("failed-restore");

        var rerun = _world.Run("--cluster=db", "--target=PostgresRestore", $"--backup={_set}");

        Assert.That(rerun.ExitCode, Is.Zero, rerun.Output + rerun.Error);
        Assert.That(rerun.Output, Does.Contain("Resuming the unfinished PostgresRestore").And.Contain("is already aside"));
        await _world.WaitUntilAnsweringAsync();
        Assert.That(await FingerprintAsync(), Is.EqualTo(_fingerprint));
        Assert.That(AsideFolders("aside").Except(asideBefore).ToList(), Has.Count.EqualTo(1), "one move, kept");
        Assert.That(AsideFolders("failed-restore").Except(failedBefore).ToList(), Has.Count.EqualTo(1), "the killed run's half-made folder is kept");
        Assert.That(await _world.ReplicasAsync("platypus-web-api"), Is.EqualTo((1, 1)));
        Assert.That(await _world.DatabaseAnnotationsAsync(), Does.Not.ContainKey("kuberunbooks.io/operation"));
    }

    private async Task<string> FingerprintAsync() =>
        string.Join(" | ",
            await _world.PsqlAsync("SELECT count(*) || ':' || md5(string_agg(id || body, ',' ORDER BY id)) FROM notes", "platypus"),
            await _world.PsqlAsync("SELECT length(payload) || ':' || md5(payload) FROM big", "platypus"),
            await _world.PsqlAsync("SELECT string_agg(v, ',') FROM t", "second"),
            await _world.PsqlAsync("SELECT rolname || ':' || rolcanlogin FROM pg_roles WHERE rolname = 'kqi_app'"),
            await _world.PsqlAsync("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'platypus'"));

    private IReadOnlyList<string> AsideFolders(string kind) =>
        Directory.GetDirectories(_world.DatabaseHostFolder, $"data.kuberunbooks-{kind}-*").Select(d => Path.GetFileName(d)).ToList();

    private async Task<bool> RestorePodExistsAsync() =>
        (await _world.Client.CoreV1.ListNamespacedPodAsync(PostgresWorld.Namespace)).Items.Any(p => p.Metadata.Name == "postgres-restore");

    private string CopySet(string set, string name)
    {
        var to = Path.Combine(_world.BackupFolder, name);
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(Path.Combine(_world.BackupFolder, set))) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        return to;
    }

    private async Task<string> WriteSetAsync(string sql)
    {
        var set = BackupSetWriter.Create(_world.BackupFolder, "postgres", "db");
        await set.WriteBytesAsync(new BackupFileSpec("kqi-backup-20000101.sql", BackupContent.PostgresClusterDump), Encoding.UTF8.GetBytes(sql));
        await set.CompleteAsync();
        return set.Name;
    }
}

using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using KubeRunbooks.Backups;
using KubeRunbooks.Simulator.Faults;
using KubeRunbooks.Tests.Kubernetes.Support;

namespace KubeRunbooks.Tests.Kamonohashi;

/// <summary>
/// PostgresBackup through the built host against the real PostgreSQL of the KAMONOHASHI scenario: the seed's file name,
/// a verified set holding the data, --compress, retention, --scheduled before and after a slot, and the failures
/// (pg_dumpall exiting non-zero, a cut exec stream, a missing database) that must leave no set.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PostgresBackupCommandLineTests
{
    private PostgresWorld _world = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _world = await PostgresWorld.StartAsync();
        await _world.PsqlAsync("CREATE TABLE IF NOT EXISTS notes (id int PRIMARY KEY, body text); INSERT INTO notes VALUES (1, 'かものはし backup ✓') ON CONFLICT DO NOTHING;");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _world.DisposeAsync();

    [SetUp]
    public void EmptyBackupFolder()
    {
        _world.WriteProfile();
        if (Directory.Exists(_world.BackupFolder)) Directory.Delete(_world.BackupFolder, recursive: true);
    }

    [Test]
    public void A_backup_is_a_verified_set_holding_kqi_backup_yyyyMMdd_sql_with_the_data()
    {
        var run = _world.Run("--cluster=db", "--target=PostgresBackup");

        Assert.That(run.ExitCode, Is.Zero, run.Output + run.Error);
        var set = _world.Sets().Single();
        var name = $"kqi-backup-{DateTime.UtcNow:yyyyMMdd}.sql";
        var dump = File.ReadAllText(Path.Combine(_world.BackupFolder, set, name), Encoding.UTF8);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(_world.BackupFolder, set, "manifest.json")))!;
        Assert.Multiple(() =>
        {
            Assert.That(set, Does.StartWith("postgres-"));
            Assert.That(dump, Does.Contain("かものはし backup ✓"), "the non-ASCII row, byte for byte");
            Assert.That(dump, Does.Contain(CompletionMarkers.PostgresCluster));
            Assert.That((string?)manifest["result"], Is.EqualTo("complete"));
            Assert.That(manifest["files"]!.AsArray().Select(f => (string?)f!["name"]), Is.EqualTo(new[] { name }));
            if (!OperatingSystem.IsWindows()) Assert.That(File.GetUnixFileMode(Path.Combine(_world.BackupFolder, set, name)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(run.Output, Does.Contain($"Backup set {set}: {name}").And.Contain("verified"));
        });
        var verify = _world.Run("--cluster=db", "--target=VerifyBackup", $"--backup={set}");
        Assert.That(verify.ExitCode, Is.Zero, verify.Output + verify.Error);
        Assert.That(run.Output + run.Error, Does.Not.Contain(PostgresWorld.ScenarioPassword), "the password read from the Secret is never shown");
    }

    [Test]
    public void Compress_writes_kqi_backup_sql_gz_that_gunzips_to_the_whole_dump()
    {
        var run = _world.Run("--cluster=db", "--target=PostgresBackup", "--compress");

        Assert.That(run.ExitCode, Is.Zero, run.Output + run.Error);
        var set = _world.Sets().Single();
        var file = Path.Combine(_world.BackupFolder, set, $"kqi-backup-{DateTime.UtcNow:yyyyMMdd}.sql.gz");
        using var gzip = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
        var text = new StreamReader(gzip, Encoding.UTF8).ReadToEnd();
        Assert.That(text, Does.Contain("かものはし backup ✓").And.Contain(CompletionMarkers.PostgresCluster));
    }

    [Test]
    public void Retention_keeps_the_newest_MaxNumberOfBackupFiles_sets()
    {
        _world.WriteProfile(retention: 2);
        var made = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var run = _world.Run("--cluster=db", "--target=PostgresBackup");
            Assert.That(run.ExitCode, Is.Zero, run.Output + run.Error);
            made.Add(_world.Sets().Except(made).Single());
        }

        Assert.That(_world.Sets(), Is.EqualTo(made.Skip(1).ToList()), "the two newest stay, the oldest is deleted");
    }

    [Test]
    public async Task Generations_keep_the_newest_set_of_each_day_and_month_and_the_log_and_report_say_which_rule()
    {
        _world.WriteProfile(retention: 1, backups: "  keepDaily: 2\n  keepMonthly: 3\n");
        var made = new List<string>();
        foreach (var at in new[] { "2025-03-10T01:00:00Z", "2025-03-20T01:00:00Z", "2025-04-05T01:00:00Z", "2025-04-25T01:00:00Z", "2025-05-15T01:00:00Z" })
        {
            var set = BackupSetWriter.Create(_world.BackupFolder, "postgres", "db", new ManualClock(DateTimeOffset.Parse(at, CultureInfo.InvariantCulture)));
            await set.WriteBytesAsync(new BackupFileSpec("kqi-backup.sql", BackupContent.Raw), Encoding.UTF8.GetBytes(at));
            await set.CompleteAsync();
            made.Add(Path.GetFileName(set.Folder));
        }
        var unreadable = Path.Combine(_world.BackupFolder, "postgres-20250101-010000");
        Directory.CreateDirectory(unreadable);
        File.WriteAllText(Path.Combine(unreadable, "manifest.json"), "{ cut");

        var dry = _world.Run("--cluster=db", "--target=PostgresBackup", "--dryrun");
        Assert.That(dry.ExitCode, Is.Zero, dry.Output + dry.Error);
        Assert.That(dry.Output, Does.Contain($"delete backup set {made[0]} (retention: the newest 1, 2 daily, 3 monthly)").And.Contain($"delete backup set {made[2]}"));
        Assert.That(dry.Output, Does.Not.Contain($"delete backup set {made[3]}"));
        Assert.That(_world.Sets(), Has.Count.EqualTo(6), "a dry run deletes nothing");

        var run = _world.Run("--cluster=db", "--target=PostgresBackup");

        Assert.That(run.ExitCode, Is.Zero, run.Output + run.Error);
        var written = _world.Sets().Except(made).Single(s => s != Path.GetFileName(unreadable));
        var today = DateTime.UtcNow;
        Assert.Multiple(() =>
        {
            // The new set (this day, this month), the newest of 15 May (the other day and May), of April; March goes.
            Assert.That(_world.Sets(), Is.EquivalentTo(new[] { Path.GetFileName(unreadable), made[3], made[4], written }));
            Assert.That(run.Output, Does.Contain("Retention keeps the newest 1, 2 daily, 3 monthly (days, ISO weeks and months of each set's recorded start, in UTC)."));
            Assert.That(run.Output, Does.Contain($"Retention: kept {written} (newest 1 of 1, daily {today:yyyy-MM-dd}, monthly {today:yyyy-MM}, just written)."));
            Assert.That(run.Output, Does.Contain($"Retention: kept {made[4]} (daily 2025-05-15, monthly 2025-05)."));
            Assert.That(run.Output, Does.Contain($"Retention: kept {made[3]} (monthly 2025-04)."));
            foreach (var gone in new[] { made[2], made[1], made[0] }) Assert.That(run.Output, Does.Contain($"Retention: deleted {gone}."));
            Assert.That(run.Output, Does.Contain($"Retention: left {Path.GetFileName(unreadable)} alone (its manifest cannot be read)."));
            var facts = PostgresWorld.ReportFacts(run);
            Assert.That(facts["kept"], Does.Contain($"{made[3]} (monthly 2025-04)"));
            Assert.That(facts["deleted"], Is.EqualTo($"{made[2]}, {made[1]}, {made[0]}"));
            Assert.That(facts["left alone (unreadable)"], Is.EqualTo(Path.GetFileName(unreadable)));
        });
    }

    [Test]
    public void Scheduled_runs_when_a_slot_has_passed_since_the_last_good_set_and_not_before()
    {
        // Every day at 00:00:00: a slot passed within the last day, none since a set made now.
        _world.WriteProfile(schedule: "Sun=00:00:00;Mon=00:00:00;Tue=00:00:00;Wed=00:00:00;Thu=00:00:00;Fri=00:00:00;Sat=00:00:00");

        var first = _world.Run("--cluster=db", "--target=PostgresBackup", "--scheduled");
        Assert.That(first.ExitCode, Is.Zero, first.Output + first.Error);
        Assert.That(first.Output, Does.Contain("no good set yet"));
        var set = _world.Sets().Single();

        var second = _world.Run("--cluster=db", "--target=PostgresBackup", "--scheduled");
        Assert.That(second.ExitCode, Is.Zero, second.Output + second.Error);
        Assert.That(second.Output, Does.Contain("No backup: skipped: no slot of"));
        Assert.That(_world.Sets(), Is.EqualTo(new[] { set }), "before the next slot nothing is written");

        // The last good set two days old: the slot of today (or yesterday) has passed since.
        var manifestPath = Path.Combine(_world.BackupFolder, set, "manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        manifest["started"] = DateTimeOffset.UtcNow.AddDays(-2).ToString("O", CultureInfo.InvariantCulture);
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        var third = _world.Run("--cluster=db", "--target=PostgresBackup", "--scheduled");

        Assert.That(third.ExitCode, Is.Zero, third.Output + third.Error);
        Assert.That(third.Output, Does.Contain("has passed since the last good set"));
        Assert.That(_world.Sets(), Has.Count.EqualTo(1).And.Not.Contain(set), "a new set, and retention 1 removed the old one");
    }

    [Test]
    public void A_dry_run_names_the_dump_and_writes_nothing()
    {
        var run = _world.Run("--cluster=db", "--target=PostgresBackup", "--compress", "--dryrun");

        Assert.That(run.ExitCode, Is.Zero, run.Output + run.Error);
        Assert.That(run.Output, Does.Contain("exec pg_dumpall -U postgres in a ready pod of deployment kqi-system/postgres").And.Contain($"kqi-backup-{DateTime.UtcNow:yyyyMMdd}.sql.gz"));
        Assert.That(_world.Sets(), Is.Empty);
    }

    [Test]
    public void A_pg_dumpall_exiting_non_zero_leaves_no_set()
    {
        _world.WriteProfile(kamonohashi: "{ databaseUser: nosuchrole }");

        var run = _world.Run("--cluster=db", "--target=PostgresBackup");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        Assert.That(run.Error + run.Output, Does.Contain("'pg_dumpall' in kqi-system/").And.Contain("exited with code 1").And.Contain("nosuchrole"));
        Assert.That(_world.Sets(), Is.Empty, "no set folder, no partial file");
    }

    [Test]
    public void A_cut_exec_stream_leaves_no_set()
    {
        var cut = new ExecCut("^postgres-", 2000);
        _world.Cluster.Faults.ExecCuts.Add(cut);
        try
        {
            var run = _world.Run("--cluster=db", "--target=PostgresBackup", "--compress");

            Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
            Assert.That(run.Error + run.Output, Does.Contain("ended without an exit status"));
            Assert.That(_world.Sets(), Is.Empty);
        }
        finally
        {
            _world.Cluster.Faults.ExecCuts.Remove(cut);
        }
    }

    [Test]
    public void A_missing_database_is_one_error_line_exit_2_and_no_set()
    {
        _world.WriteProfile(kamonohashi: "{ databaseDeployment: nosuch-db }");

        var run = _world.Run("--cluster=db", "--target=PostgresBackup");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), run.Error);
        Assert.That(run.Error, Does.StartWith("error: deployment kqi-system/nosuch-db does not exist"));
        Assert.That(_world.Sets(), Is.Empty);
    }

    [Test]
    public void A_missing_container_is_refused_naming_the_containers()
    {
        _world.WriteProfile(kamonohashi: "{ databaseContainer: pg }");

        var run = _world.Run("--cluster=db", "--target=PostgresBackup");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error, Does.StartWith("error: deployment kqi-system/postgres has no container 'pg'").And.Contain("its containers: postgres"));
    }
}

using System.Text;
using KubeRunbooks.Backups;
using KubeRunbooks.Kubernetes.Exec;

namespace KubeRunbooks.Tests.DataPath;

/// <summary>
/// Real dumps through exec into backup sets and back: PostgreSQL's pg_dumpall restored into a fresh server, MariaDB's
/// mysqldump with its password in MYSQL_PWD only; failures leave nothing under a final name.
/// </summary>
[TestFixture]
public sealed class DatabaseBackupTests
{
    private const string Data = """
        CREATE DATABASE shop;
        \c shop
        CREATE TABLE customers (id int primary key, name text not null);
        INSERT INTO customers SELECT i, 'customer ' || i || ' 東京都 Ünïcödé ✓' FROM generate_series(1, 20000) i;
        CREATE TABLE blobs (id int primary key, body text not null);
        INSERT INTO blobs SELECT 1, string_agg(md5(i::text), '') FROM generate_series(1, 200000) i;
        """;

    private const string Fingerprint = """
        SELECT (SELECT count(*) || ':' || md5(string_agg(id || name, ',' ORDER BY id)) FROM customers)
            || ' ' || (SELECT count(*) || ':' || sum(length(body)) || ':' || md5(string_agg(body, '' ORDER BY id)) FROM blobs);
        """;

    private PodBackups _backups = null!;
    private string _folder = null!;

    [OneTimeSetUp]
    public void Start() => _backups = new PodBackups(new PodExec(DataPathWorld.Client));

    [SetUp]
    public void NewFolder() => _folder = DataPathWorld.NewFolder("db-sets");

    [Test]
    public async Task A_pg_dumpall_streamed_into_a_set_verifies_and_restores_into_a_fresh_server_with_equal_data()
    {
        var source = await DataPathWorld.PostgresAsync();
        await source.QueryAsync("DROP DATABASE IF EXISTS shop;");
        await source.QueryAsync(Data);
        var before = await source.QueryAsync(Fingerprint, "shop");
        Assert.That(before, Does.Contain("20000:").And.Contain(":6400000:"), "a row of several MB");

        var pod = await DataPathWorld.RunPodAsync("postgres", source.ClientEnv);
        var set = BackupSetWriter.Create(_folder, "postgres", "test");
        var entry = await _backups.DumpAsync(set, new BackupFileSpec("kqi-backup-20261206.sql.gz", BackupContent.PostgresClusterDump, BackupCompression.Gzip),
            pod.Exec("pg_dumpall", "-U", "postgres"));
        await set.CompleteAsync();
        Assert.That(entry.ContentSize, Is.GreaterThan(6_400_000));
        Assert.That(entry.Command, Is.EqualTo("pg_dumpall -U postgres"));

        var verified = await BackupVerifier.VerifyOrThrowAsync(set.Folder);
        await using var fresh = await PostgresServer.StartAsync();
        var target = await DataPathWorld.RunPodAsync("postgres-fresh", fresh.ClientEnv);
        // The seed's restore: psql -U postgres -f - (errors such as "role postgres already exists" do not stop it).
        await _backups.RestoreAsync(verified, "kqi-backup-20261206.sql.gz", target.Exec("psql", "-X", "-q", "-U", "postgres", "-d", "postgres", "-f", "-"));

        Assert.That(await fresh.QueryAsync(Fingerprint, "shop"), Is.EqualTo(before));
    }

    [Test]
    public async Task A_dump_whose_process_exits_non_zero_fails_with_its_error_and_leaves_no_file()
    {
        var pod = await DataPathWorld.RunPodAsync("postgres-down", new Dictionary<string, string>
        {
            ["PGHOST"] = "127.0.0.1", ["PGPORT"] = LocalProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var set = BackupSetWriter.Create(_folder, "postgres", "test");
        var e = Assert.ThrowsAsync<ExecFailedException>(() => _backups.DumpAsync(set,
            new BackupFileSpec("kqi-backup-20261206.sql", BackupContent.PostgresClusterDump), pod.Exec("pg_dumpall", "-U", "postgres")));
        Assert.That(e!.Message, Does.Contain("pg_dumpall").And.Contain("exited with code 1").And.Contain("onnection"));
        set.Fail(e.Message);
        Assert.That(Directory.Exists(set.Folder), Is.False, "nothing under a final name, no empty set");
    }

    [Test]
    public async Task A_dump_cut_after_N_bytes_fails_naming_the_cut_and_leaves_no_file()
    {
        var source = await DataPathWorld.PostgresAsync();
        await source.QueryAsync("DROP DATABASE IF EXISTS cutdb; CREATE DATABASE cutdb;");
        await source.QueryAsync("CREATE TABLE t AS SELECT i, md5(i::text) FROM generate_series(1, 50000) i;", "cutdb");
        var pod = await DataPathWorld.RunPodAsync("cut-postgres", source.ClientEnv);
        var set = BackupSetWriter.Create(_folder, "postgres", "test");
        var e = Assert.ThrowsAsync<ExecFailedException>(() => _backups.DumpAsync(set,
            new BackupFileSpec("kqi-backup-20261206.sql.gz", BackupContent.PostgresClusterDump, BackupCompression.Gzip), pod.Exec("pg_dumpall")));
        Assert.That(e!.Message, Does.Contain("cut").And.Contain($"{DataPathWorld.CutAfterBytes} bytes"));
        Assert.That(Directory.GetFiles(set.Folder), Is.Empty);
    }

    [Test]
    public async Task A_mysqldump_with_its_password_in_MYSQL_PWD_only_restores_and_the_password_is_nowhere_recorded()
    {
        var maria = await DataPathWorld.MariaDbAsync();
        await maria.QueryAsync("DROP DATABASE IF EXISTS app; CREATE DATABASE app CHARACTER SET utf8mb4; " +
            "CREATE TABLE app.notes (id int primary key, body longtext) CHARACTER SET utf8mb4; " +
            "INSERT INTO app.notes VALUES (1, 'こんにちは 🌸 ÄÖÜ'), (2, REPEAT('x', 3000000));");
        const string check = "SELECT COUNT(*), MD5(GROUP_CONCAT(body ORDER BY id)) FROM app.notes;";
        var before = await maria.QueryAsync(check);
        var pod = await DataPathWorld.RunPodAsync("mariadb", maria.ClientEnv);
        var port = maria.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var secrets = new Dictionary<string, string> { ["MYSQL_PWD"] = maria.Password };
        var log = new List<string>();

        var set = BackupSetWriter.Create(_folder, "mysql", "test");
        await _backups.DumpAsync(set, new BackupFileSpec("exastro_mysqldump_platform_db_20261206-010000.sql.gz", BackupContent.MysqlDump, BackupCompression.Gzip),
            pod.Exec("mysqldump", "-h", "127.0.0.1", "-P", port, "-u", "kr", "--databases", "app", "--add-drop-table") with { Secrets = secrets }, log.Add);
        await set.CompleteAsync();
        await maria.QueryAsync("DROP DATABASE app;");

        var verified = await BackupVerifier.VerifyOrThrowAsync(set.Folder);
        await _backups.RestoreAsync(verified, "exastro_mysqldump_platform_db_20261206-010000.sql.gz",
            pod.Exec("mysql", "-h", "127.0.0.1", "-P", port, "-u", "kr") with { Secrets = secrets }, null, log.Add);

        Assert.That(await maria.QueryAsync(check), Is.EqualTo(before));
        var manifest = File.ReadAllText(Path.Combine(set.Folder, BackupManifest.FileName));
        Assert.That(manifest, Does.Not.Contain(maria.Password));
        Assert.That(manifest, Does.Contain("mysqldump -h 127.0.0.1").And.Contain("env: MYSQL_PWD"));
        Assert.That(string.Join("\n", log), Does.Not.Contain(maria.Password));
    }

    [Test]
    public async Task A_wrong_password_fails_the_dump_without_showing_the_password()
    {
        var maria = await DataPathWorld.MariaDbAsync();
        var pod = await DataPathWorld.RunPodAsync("mariadb-wrong", maria.ClientEnv);
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");
        var set = BackupSetWriter.Create(_folder, "mysql", "test");
        var e = Assert.ThrowsAsync<ExecFailedException>(() => _backups.DumpAsync(set, new BackupFileSpec("dump.sql", BackupContent.MysqlDump),
            pod.Exec("mysqldump", "-h", "127.0.0.1", "-P", maria.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-u", "kr", "--all-databases")
                with { Secrets = new Dictionary<string, string> { ["MYSQL_PWD"] = wrong } }));
        Assert.That(e!.Message, Does.Contain("Access denied").And.Not.Contain(wrong));
        Assert.That(Directory.GetFiles(set.Folder), Is.Empty);
    }
}

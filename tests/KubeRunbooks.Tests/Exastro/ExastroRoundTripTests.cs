using System.Text;
using System.Text.Json.Nodes;
using k8s;
using KubeRunbooks.Backups;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Exastro;

/// <summary>
/// ExastroBackup then ExastroRestore through the built host against real MariaDB servers in the simulated pods:
/// seeded data (non-ASCII text, a row of several MB, a stored routine, a view and a trigger whose DEFINER is a user
/// that exists nowhere), storage files with their modes and the encryption key, wiped and restored. One cluster per
/// fixture; <see cref="ExastroSharedRoundTripTests"/> and <see cref="ExastroSeparateRoundTripTests"/> run it on the
/// seed's two database layouts.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public abstract class ExastroRoundTripTests
{
    private const string EncryptKey = "c2ltdWxhdGVkLWVuY3J5cHRpb24ta2V5LTAxMjM0NTY=";

    /// <summary>The scenario of the fixture.</summary>
    protected abstract string ScenarioName { get; }

    /// <summary>The world.</summary>
    protected ExastroWorld World { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => World = await ExastroWorld.StartAsync(ScenarioName);

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (World is not null) await World.DisposeAsync();
    }

    // Data seeded into one application database: the trigger and the view name a definer that exists on no server.
    private static string Seed(string database) => $"""
        CREATE DATABASE IF NOT EXISTS `{database}` CHARACTER SET utf8mb4;
        USE `{database}`;
        DROP TABLE IF EXISTS notes; DROP TABLE IF EXISTS audit; DROP VIEW IF EXISTS note_lengths; DROP PROCEDURE IF EXISTS count_notes;
        CREATE TABLE notes (id INT PRIMARY KEY AUTO_INCREMENT, body LONGTEXT NOT NULL) DEFAULT CHARSET=utf8mb4;
        CREATE TABLE audit (id INT PRIMARY KEY AUTO_INCREMENT, note_id INT NOT NULL);
        INSERT INTO notes (body) VALUES ('構成管理 — Ünïcödé ✓ 🚀'), (REPEAT('0123456789abcdef', 262144)), ('third');
        CREATE DEFINER=`ghost`@`%` TRIGGER notes_ai AFTER INSERT ON notes FOR EACH ROW INSERT INTO audit (note_id) VALUES (NEW.id);
        CREATE DEFINER=`ghost`@`%` SQL SECURITY INVOKER VIEW note_lengths AS SELECT id, CHAR_LENGTH(body) AS len FROM notes;
        CREATE PROCEDURE count_notes() SELECT COUNT(*) FROM notes;
        """;

    private static string Fingerprint(string database) => $"""
        USE `{database}`;
        SELECT COUNT(*), SUM(CHAR_LENGTH(body)), MD5(GROUP_CONCAT(MD5(body) ORDER BY id)) FROM notes;
        CHECKSUM TABLE notes;
        SELECT COUNT(*) FROM audit;
        """;

    private IEnumerable<(string Server, string Database)> Databases =>
        World.Separate ? [("mariadb", "platform"), ("mariadb-ita", "ITA_DB")] : [("mariadb", "platform"), ("mariadb", "ITA_DB")];

    private const string StorageFiles = """
        set -e
        mkdir -p /storage/driver/ansible/legacy /storage/uploadfiles
        printf 'ansible 構成 \n' > /storage/driver/ansible/legacy/playbook.yml
        head -c 3000000 /dev/urandom > /storage/uploadfiles/large.bin
        printf '#!/bin/sh\necho hi\n' > /storage/driver/run.sh
        chmod 0755 /storage/driver/run.sh; chmod 0600 /storage/uploadfiles/large.bin; chmod 0640 /storage/driver/ansible/legacy/playbook.yml
        """;

    private const string StorageListing = "cd /storage && find . -mindepth 1 -printf '%P %y %m %s\\n' | sort && find . -type f -exec sha256sum {} + | sort -k2";

    [Test]
    public async Task A_backup_wiped_and_restored_gives_back_data_routines_views_triggers_storage_and_key()
    {
        foreach (var (server, database) in Databases) await World.SqlAsync(server, Seed(database));
        await World.StorageShellAsync(StorageFiles);
        var before = new Dictionary<string, string>();
        foreach (var (server, database) in Databases) before[database] = await World.SqlAsync(server, Fingerprint(database));
        var storageBefore = await World.StorageShellAsync(StorageListing);
        await World.ScaleAsync("ita-by-menu-create", 2);
        var replicas = await World.ReplicasAsync();

        var backup = World.Run("--cluster=test", "--target=ExastroBackup");
        Assert.That(backup.ExitCode, Is.Zero, backup.Output + backup.Error);
        var set = World.NewestSet();
        var names = Directory.GetFiles(set).Select(Path.GetFileName).ToList();
        var stamp = Path.GetFileName(set)["exastro-".Length..];
        var expected = new List<string> { "manifest.json", "exastro_encrypt_key_ita-secret-ita-global.json",
            $"exastro_mysqldump_platform_db_{stamp}.sql.gz", $"exastro_mysqldump_platform_user_{stamp}.sql.gz", $"exastro_storage_backup_ita_{stamp}.tar.gz" };
        if (World.Separate) expected.AddRange([$"exastro_mysqldump_ita_db_{stamp}.sql.gz", $"exastro_mysqldump_ita_user_{stamp}.sql.gz"]);
        Assert.That(names, Is.EquivalentTo(expected));
        Assert.That((await BackupVerifier.VerifyAsync(set)).IsGood, Is.True);
        Assert.That(File.GetUnixFileMode(Path.Combine(set, "exastro_encrypt_key_ita-secret-ita-global.json")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(await World.ReplicasAsync(), Is.EqualTo(replicas), "the services are back at their replicas");
        Assert.That(await World.PodNamesAsync(), Does.Not.Contain("exastro-maintenance"));

        // Wipe: the databases dropped, the storage emptied, the key changed.
        foreach (var (server, database) in Databases) await World.SqlAsync(server, $"DROP DATABASE `{database}`;");
        await World.StorageShellAsync("rm -rf /storage/* && echo stray > /storage/stray.txt");
        await World.Client.CoreV1.DeleteNamespacedSecretAsync("ita-secret-ita-global", ExastroWorld.Ns);

        var restore = World.Run("--cluster=test", "--target=ExastroRestore", "--backup=" + Path.GetFileName(set));
        Assert.That(restore.ExitCode, Is.Zero, restore.Output + restore.Error);

        foreach (var (server, database) in Databases)
        {
            Assert.That(await World.SqlAsync(server, Fingerprint(database)), Is.EqualTo(before[database]), $"{database}: rows and checksums");
            Assert.That(await World.SqlAsync(server, "CALL count_notes();", database), Is.EqualTo("3\n"), $"{database}: the routine runs");
            // The trigger's ghost definer was stripped: it fires as the restoring user.
            await World.SqlAsync(server, "INSERT INTO notes (body) VALUES ('after restore');", database);
            Assert.That(await World.SqlAsync(server, "SELECT COUNT(*) FROM audit; SELECT DEFINER FROM information_schema.VIEWS WHERE TABLE_NAME = 'note_lengths';", database),
                Does.StartWith("1\n").And.Not.Contain("ghost"), $"{database}: trigger fired, view definer stripped");
            Assert.That(await World.SqlAsync(server, "SELECT COUNT(*) FROM note_lengths;", database), Is.EqualTo("4\n"));
        }
        var storageAfter = await World.StorageShellAsync(StorageListing);
        // The seed's tar x puts every file back and deletes nothing: the file written after the backup stays.
        var stray = storageAfter.Split('\n').Where(l => l.Contains("stray.txt", StringComparison.Ordinal)).ToList();
        Assert.That(stray, Has.Count.EqualTo(2), storageAfter);
        Assert.That(string.Join('\n', storageAfter.Split('\n').Except(stray)), Is.EqualTo(storageBefore.TrimEnd('\n') + "\n").Or.EqualTo(storageBefore), "files byte-equal, with their modes");
        Assert.That(storageAfter, Does.Contain("driver/run.sh f 755").And.Contain("uploadfiles/large.bin f 600"));
        var key = await World.Client.CoreV1.ReadNamespacedSecretAsync("ita-secret-ita-global", ExastroWorld.Ns);
        Assert.That(Encoding.UTF8.GetString(key.Data["ENCRYPT_KEY"]), Is.EqualTo(EncryptKey));
        Assert.That(await World.ReplicasAsync(), Is.EqualTo(replicas));
        Assert.That(await World.PodNamesAsync(), Does.Not.Contain("exastro-maintenance"));
        foreach (var run in new[] { backup, restore })
            Assert.That(run.Output + run.Error, Does.Not.Contain(ExastroWorld.PlatformPassword).And.Not.Contain(ExastroWorld.ItaPassword));
    }
}

/// <summary>The round trip with one MariaDB shared by Platform and ITA.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ExastroSharedRoundTripTests : ExastroRoundTripTests
{
    /// <inheritdoc />
    protected override string ScenarioName => "exastro";
}

/// <summary>The round trip with separate Platform and ITA database servers.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ExastroSeparateRoundTripTests : ExastroRoundTripTests
{
    /// <inheritdoc />
    protected override string ScenarioName => "exastro-separate";
}

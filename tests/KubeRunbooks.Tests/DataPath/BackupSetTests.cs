using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using KubeRunbooks.Backups;
using KubeRunbooks.Tests.Kubernetes.Support;

namespace KubeRunbooks.Tests.DataPath;

/// <summary>Backup sets on disk: writing, the manifest, checks, verification of damaged sets.</summary>
[TestFixture]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BackupSetTests
{
    internal const string PgDump = "--\n-- PostgreSQL database cluster dump\n--\n\nCREATE TABLE t (x int);\n\n--\n-- PostgreSQL database cluster dump complete\n--\n\n";

    private string _folder = null!;

    [SetUp]
    public void NewFolder() => _folder = DataPathWorld.NewFolder("sets");

    [Test]
    public async Task A_file_is_written_checksummed_with_mode_0600_and_recorded_in_the_manifest()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 6, 1, 0, 0, TimeSpan.Zero));
        var set = BackupSetWriter.Create(_folder, "postgres", "prod", clock);
        var entry = await set.WriteFileAsync(new BackupFileSpec("kqi-backup-20261206.sql", BackupContent.PostgresClusterDump)
        {
            Namespace = "kqi-system", Object = "pod/postgres-0", Command = "pg_dumpall -U postgres",
        }, (s, ct) => s.WriteAsync(Encoding.UTF8.GetBytes(PgDump), ct).AsTask());
        clock.Now = clock.Now.AddMinutes(2);
        var manifest = await set.CompleteAsync();

        Assert.That(set.Name, Is.EqualTo("postgres-20261206-010000"));
        var path = Path.Combine(set.Folder, "kqi-backup-20261206.sql");
        Assert.That(File.ReadAllText(path), Is.EqualTo(PgDump));
        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.GetUnixFileMode(Path.Combine(set.Folder, BackupManifest.FileName)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(entry.Sha256, Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)))));
        Assert.That(Directory.GetFiles(set.Folder).Select(Path.GetFileName), Is.EquivalentTo(new[] { "kqi-backup-20261206.sql", "manifest.json" }));

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(set.Folder, "manifest.json")))!;
        Assert.That((string?)json["cluster"], Is.EqualTo("prod"));
        Assert.That((string?)json["result"], Is.EqualTo("complete"));
        Assert.That((string?)json["toolVersion"], Is.Not.Empty);
        Assert.That((string?)json["files"]![0]!["namespace"], Is.EqualTo("kqi-system"));
        Assert.That((string?)json["files"]![0]!["object"], Is.EqualTo("pod/postgres-0"));
        Assert.That((string?)json["files"]![0]!["command"], Is.EqualTo("pg_dumpall -U postgres"));
        Assert.That((long?)json["files"]![0]!["size"], Is.EqualTo(PgDump.Length));
        Assert.That((string?)json["files"]![0]!["sha256"], Is.EqualTo(entry.Sha256));
        Assert.That((string?)json["files"]![0]!["content"], Is.EqualTo("postgres-cluster-dump"));
        Assert.That(manifest.Finished - manifest.Started, Is.EqualTo(TimeSpan.FromMinutes(2)));
        Assert.That((await BackupVerifier.VerifyAsync(set.Folder)).IsGood, Is.True);
    }

    [Test]
    public async Task A_dump_without_its_completion_marker_fails_and_leaves_nothing_under_a_final_name()
    {
        var set = BackupSetWriter.Create(_folder, "postgres", "prod");
        var cut = PgDump[..(PgDump.Length - 50)];
        var e = Assert.ThrowsAsync<BackupFailedException>(() => set.WriteFileAsync(new BackupFileSpec("dump.sql", BackupContent.PostgresClusterDump),
            (s, ct) => s.WriteAsync(Encoding.UTF8.GetBytes(cut), ct).AsTask()));
        Assert.That(e!.Message, Does.Contain("dump.sql").And.Contain("-- PostgreSQL database cluster dump complete"));
        Assert.That(Directory.GetFiles(set.Folder), Is.Empty, "no final name and no temporary file left");
        set.Fail(e.Message);
        Assert.That(Directory.Exists(set.Folder), Is.False, "a set with no finished file is removed");
    }

    [Test]
    public async Task A_producer_that_fails_leaves_nothing_and_a_set_with_earlier_files_records_the_failure()
    {
        var set = BackupSetWriter.Create(_folder, "threescale", "prod");
        await set.WriteBytesAsync(new BackupFileSpec("secrets.yaml", BackupContent.Raw), Encoding.UTF8.GetBytes("kind: List\n"));
        Assert.ThrowsAsync<IOException>(() => set.WriteFileAsync(new BackupFileSpec("system-mysql-backup.gz", BackupContent.MysqlDump, BackupCompression.Gzip),
            async (s, ct) =>
            {
                await s.WriteAsync(new byte[100_000], ct);
                throw new IOException("connection lost");
            }));
        set.Fail("system-mysql-backup.gz: connection lost");
        Assert.That(Directory.GetFiles(set.Folder).Select(Path.GetFileName), Is.EquivalentTo(new[] { "secrets.yaml", "manifest.json" }));
        var verification = await BackupVerifier.VerifyAsync(set.Folder);
        Assert.That(verification.IsGood, Is.False);
        Assert.That(verification.Problems[0], Does.Contain("failed").And.Contain("connection lost"));
    }

    [Test]
    public async Task Gzip_files_are_one_stream_for_gzip_dc_at_the_ratio_of_gzip_6()
    {
        var sql = SqlText(12 * 1024 * 1024);
        var set = BackupSetWriter.Create(_folder, "mysql", "prod");
        await set.WriteFileAsync(new BackupFileSpec("dump.sql.gz", BackupContent.MysqlDump, BackupCompression.Gzip),
            (s, ct) => s.WriteAsync(sql, ct).AsTask());
        await set.CompleteAsync();
        var path = Path.Combine(set.Folder, "dump.sql.gz");

        var viaGzip = await RunAsync("gzip", "-dc", path);
        Assert.That(viaGzip.SequenceEqual(sql), Is.True, "gzip -dc reads the parallel members as one stream");
        var reference = await RunAsync("sh", "-c", $"gzip -6 -c < '{Path.Combine(_folder, "plain.sql")}' | wc -c", writeFirst: sql, plain: Path.Combine(_folder, "plain.sql"));
        var gzip6 = long.Parse(Encoding.ASCII.GetString(reference).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(new FileInfo(path).Length, Is.LessThanOrEqualTo(gzip6 * 1.05), $"within 5 % of gzip -6 ({gzip6} bytes)");
    }

    [Test]
    public async Task Verify_refuses_a_truncated_file()
    {
        var set = await GoodSetAsync();
        var path = Path.Combine(set, "dump.sql.gz");
        using (var f = new FileStream(path, FileMode.Open)) f.SetLength(f.Length - 100);
        var result = await BackupVerifier.VerifyAsync(set);
        Assert.That(result.IsGood, Is.False);
        Assert.That(string.Join(";", result.Problems), Does.Contain("dump.sql.gz").And.Contain("truncated"));
        var e = Assert.ThrowsAsync<BackupFailedException>(() => BackupVerifier.VerifyOrThrowAsync(set));
        Assert.That(e!.Message, Does.Contain("failed verification"));
    }

    [Test]
    public async Task Verify_refuses_a_corrupted_file_by_its_checksum_and_by_gzip_itself()
    {
        var set = await GoodSetAsync();
        var path = Path.Combine(set, "dump.sql.gz");
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
        var result = await BackupVerifier.VerifyAsync(set);
        Assert.That(string.Join(";", result.Problems), Does.Contain("corrupt"));

        // The same damage with a manifest rewritten to match: gzip's own CRC still refuses it.
        RewriteManifest(set, file => file["sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        var again = await BackupVerifier.VerifyAsync(set);
        Assert.That(again.IsGood, Is.False);
        Assert.That(string.Join(";", again.Problems), Does.Contain("gzip").Or.Contain("does not end with").Or.Contain("of content"));
    }

    [Test]
    public async Task Verify_refuses_a_dump_without_its_marker_even_with_matching_checksums()
    {
        var set = BackupSetWriter.Create(_folder, "postgres", "prod");
        await set.WriteBytesAsync(new BackupFileSpec("dump.sql", BackupContent.Raw), Encoding.UTF8.GetBytes("CREATE TABLE t (x int);\n"));
        await set.CompleteAsync();
        RewriteManifest(set.Folder, file => file["content"] = "postgres-cluster-dump");
        var result = await BackupVerifier.VerifyAsync(set.Folder);
        Assert.That(string.Join(";", result.Problems), Does.Contain("does not end with '-- PostgreSQL database cluster dump complete'"));
    }

    [Test]
    public async Task Verify_refuses_a_truncated_tar_and_a_set_without_a_manifest()
    {
        var source = DataPathWorld.NewFolder("tar-src");
        File.WriteAllBytes(Path.Combine(source, "big.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(200_000));
        var tar = new MemoryStream();
        KubeRunbooks.Backups.Archives.TarFolder.Write(source, tar);
        var set = BackupSetWriter.Create(_folder, "storage", "prod");
        await set.WriteBytesAsync(new BackupFileSpec("storage.tar.gz", BackupContent.Tar, BackupCompression.Gzip), tar.ToArray().AsMemory(0, 100_000));
        var e = Assert.ThrowsAsync<BackupFailedException>(() => set.CompleteAsync());
        Assert.That(e!.Message, Does.Contain("storage.tar.gz").And.Contain("truncated"));

        File.Delete(Path.Combine(set.Folder, BackupManifest.FileName));
        var result = await BackupVerifier.VerifyAsync(set.Folder);
        Assert.That(result.IsGood, Is.False);
        Assert.That(result.Problems[0], Does.Contain("manifest.json does not exist"));
    }

    [Test]
    public async Task A_whole_tar_archive_verifies()
    {
        var source = DataPathWorld.NewFolder("tar-ok");
        File.WriteAllText(Path.Combine(source, "a.txt"), "a");
        var tar = new MemoryStream();
        KubeRunbooks.Backups.Archives.TarFolder.Write(source, tar);
        var set = BackupSetWriter.Create(_folder, "storage", "prod");
        await set.WriteBytesAsync(new BackupFileSpec("storage.tar.gz", BackupContent.Tar, BackupCompression.Gzip), tar.ToArray());
        var manifest = await set.CompleteAsync();
        Assert.That(manifest.IsComplete, Is.True);
    }

    private async Task<string> GoodSetAsync()
    {
        var set = BackupSetWriter.Create(_folder, "postgres", "prod");
        var content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 50_000).Select(i => $"INSERT INTO t VALUES ({i});\n")) + PgDump);
        await set.WriteFileAsync(new BackupFileSpec("dump.sql.gz", BackupContent.PostgresClusterDump, BackupCompression.Gzip), (s, ct) => s.WriteAsync(content, ct).AsTask());
        await set.CompleteAsync();
        return set.Folder;
    }

    private static void RewriteManifest(string set, Action<JsonNode> change)
    {
        var path = Path.Combine(set, BackupManifest.FileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        change(json["files"]![0]!);
        File.WriteAllText(path, json.ToJsonString());
    }

    /// <summary>SQL-dump-like text (INSERTs with varied values) ending with mysqldump's marker.</summary>
    internal static byte[] SqlText(int approximateBytes)
    {
        var random = new Random(42);
        var text = new StringBuilder("-- MariaDB dump 10.19\n");
        var words = new[] { "alpha", "beta", "gamma", "東京", "delta", "épsilon", "zeta", "eta", "theta" };
        while (text.Length < approximateBytes)
        {
            text.Append("INSERT INTO `orders` VALUES (").Append(random.Next(1_000_000)).Append(",'")
                .Append(words[random.Next(words.Length)]).Append(' ').Append(words[random.Next(words.Length)]).Append("',")
                .Append(random.NextDouble().ToString("F4", System.Globalization.CultureInfo.InvariantCulture)).Append(",'2026-")
                .Append(random.Next(1, 13).ToString("00", System.Globalization.CultureInfo.InvariantCulture)).Append("-01');\n");
        }
        text.Append("-- Dump completed on 2026-12-06  1:00:00\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static async Task<byte[]> RunAsync(string program, string arg1, string arg2, byte[]? writeFirst = null, string? plain = null)
    {
        if (writeFirst is not null) await File.WriteAllBytesAsync(plain!, writeFirst);
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(arg1);
        info.ArgumentList.Add(arg2);
        using var process = Process.Start(info)!;
        var output = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(output);
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, $"{program} {arg1} {arg2}");
        return output.ToArray();
    }
}

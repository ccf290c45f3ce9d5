using KubeRunbooks.Backups;
using KubeRunbooks.Kubernetes.Exec;

namespace KubeRunbooks.Tests.DataPath;

/// <summary>A Redis RDB dump (SAVE then the file, password in REDISCLI_AUTH) into a set, verified, and loaded by a fresh server.</summary>
[TestFixture]
public sealed class RedisBackupTests
{
    [Test]
    public async Task An_rdb_dump_streamed_into_a_set_verifies_and_a_fresh_server_loads_the_same_keys()
    {
        // Its data folder is in the world's root, which the pod mounts: the pod's cat reads the server's dump.rdb.
        await using var redis = await RedisServer.StartAsync(folder: DataPathWorld.NewFolder("redis-data"));
        await redis.CommandAsync("SET", "greeting", "こんにちは Ünïcödé");
        await redis.CommandAsync("RPUSH", "queue", "a", "b", "c");
        await redis.CommandWithStdinAsync(new string('z', 2_000_000), "SET", "big");
        var pod = await DataPathWorld.RunPodAsync("backend-redis");
        var folder = DataPathWorld.NewFolder("redis-sets");
        var set = BackupSetWriter.Create(folder, "redis", "test");
        var log = new List<string>();
        await new PodBackups(new PodExec(DataPathWorld.Client)).DumpAsync(set, new BackupFileSpec("backend-redis-dump.rdb", BackupContent.RedisRdb),
            // As the 3scale seed does: SAVE, then the dump.rdb file (redis-cli 7.0's --rdb - appends its 40-byte EOF mark).
            pod.Exec("sh", "-c", "redis-cli -h 127.0.0.1 -p \"$1\" SAVE >&2 && cat \"$2\"", "save", redis.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Path.Combine(redis.Folder, "dump.rdb"))
                with { Secrets = new Dictionary<string, string> { ["REDISCLI_AUTH"] = redis.Password } }, log.Add);
        await set.CompleteAsync();

        var verified = await BackupVerifier.VerifyOrThrowAsync(set.Folder);
        await using var fresh = await RedisServer.StartAsync(Path.Combine(verified.Folder, "backend-redis-dump.rdb"));
        Assert.That((await fresh.CommandAsync("GET", "greeting")).Trim(), Is.EqualTo("こんにちは Ünïcödé"));
        Assert.That((await fresh.CommandAsync("LRANGE", "queue", "0", "-1")).Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "a", "b", "c" }));
        Assert.That((await fresh.CommandAsync("STRLEN", "big")).Trim(), Is.EqualTo("2000000"));
        Assert.That(File.ReadAllText(Path.Combine(set.Folder, BackupManifest.FileName)) + string.Join("\n", log), Does.Not.Contain(redis.Password));
    }

    [Test]
    public async Task A_file_that_is_not_an_rdb_is_refused()
    {
        var set = BackupSetWriter.Create(DataPathWorld.NewFolder("redis-bad"), "redis", "test");
        var e = Assert.ThrowsAsync<BackupFailedException>(() => set.WriteBytesAsync(new BackupFileSpec("dump.rdb", BackupContent.RedisRdb), "-ERR NOAUTH\n"u8.ToArray()));
        Assert.That(e!.Message, Does.Contain("REDIS"));
        await Task.CompletedTask;
    }
}

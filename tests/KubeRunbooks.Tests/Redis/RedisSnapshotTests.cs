using k8s;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Kubernetes.Watching;
using KubeRunbooks.Redis;
using KubeRunbooks.Tests.Simulator.Controllers;

namespace KubeRunbooks.Tests.Redis;

/// <summary>
/// RedisSnapshot against a real redis-server on loopback, reached by redis-cli exec'd in the simulated
/// <c>backend-redis</c> pod of the 3scale install: a fresh BGSAVE (LASTSAVE moved), the dump copied whole and
/// loadable, the password never in argv or the audit log, a BGSAVE that does not finish in time refused.
/// </summary>
[TestFixture]
public sealed class RedisSnapshotTests : ScenarioClusterFixture
{
    private const string Password = "redis-test-password-5f1c";

    /// <inheritdoc />
    protected override string ScenarioName => "threescale";

    [Test]
    public async Task The_dump_is_taken_after_a_fresh_bgsave_and_holds_the_keys_written_after_the_last_save()
    {
        using var redis = LoopbackRedis.Start(Path.Combine(Root, "redis-" + Guid.NewGuid().ToString("N")[..8]), Password);
        redis.Cli("SET", "before", "1");
        redis.Cli("SAVE");
        for (var i = 0; i < 50; i++) redis.Cli("SET", $"key:{i}", $"value {i}");
        var destination = Path.Combine(Root, "backend-redis-dump.rdb");

        RedisSnapshotResult result;
        await using (var file = File.Create(destination))
            result = await Snapshot().TakeAsync(await EndpointAsync(redis), file, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.That(result.LastSave, Is.GreaterThan(result.LastSaveBefore), "LASTSAVE moved");
        Assert.That(result.RemotePath, Is.EqualTo(Path.Combine(redis.Folder, "dump.rdb")));
        Assert.That(result.Bytes, Is.EqualTo(new FileInfo(destination).Length));
        Assert.That(File.ReadAllBytes(destination), Is.EqualTo(File.ReadAllBytes(result.RemotePath)));

        // The copy loads in another server with every key.
        var restoredFolder = Path.Combine(Root, "restored-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(restoredFolder);
        File.Copy(destination, Path.Combine(restoredFolder, "dump.rdb"));
        using var restored = LoopbackRedis.Start(restoredFolder);
        Assert.That(restored.Cli("DBSIZE"), Is.EqualTo("51"));
        Assert.That(restored.Cli("GET", "key:49"), Is.EqualTo("value 49"));
    }

    [Test]
    public async Task The_password_reaches_redis_cli_by_the_environment_never_argv_nor_the_audit_log()
    {
        using var redis = LoopbackRedis.Start(Path.Combine(Root, "redis-" + Guid.NewGuid().ToString("N")[..8]), Password);
        redis.Cli("SET", "k", "v");

        await Snapshot().TakeAsync(await EndpointAsync(redis), Stream.Null, TimeSpan.FromSeconds(30), CancellationToken.None);

        var audit = File.ReadAllText(Cluster.AuditLogPath);
        Assert.That(audit, Does.Contain("REDISCLI_AUTH"), "the exec requests are in the audit log");
        Assert.That(audit, Does.Not.Contain(Password));
    }

    [Test]
    public async Task A_wrong_password_is_refused_without_naming_it()
    {
        using var redis = LoopbackRedis.Start(Path.Combine(Root, "redis-" + Guid.NewGuid().ToString("N")[..8]), Password);
        var endpoint = (await EndpointAsync(redis)) with { Password = "not-the-password-77" };

        var e = Assert.ThrowsAsync<RedisCommandException>(() => Snapshot().TakeAsync(endpoint, Stream.Null, TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.That(e!.Message, Does.Contain("refused the password").And.Not.Contain("not-the-password-77").And.Not.Contain(Password));
    }

    [Test]
    public async Task A_bgsave_that_does_not_finish_in_time_is_refused_and_nothing_is_copied()
    {
        using var redis = LoopbackRedis.Start(Path.Combine(Root, "redis-" + Guid.NewGuid().ToString("N")[..8]));
        for (var i = 0; i < 100; i++) redis.Cli("SET", $"key:{i}", "x");
        redis.Cli("CONFIG", "SET", "rdb-key-save-delay", "100000"); // 0.1 s per key: the save takes 10 s
        var endpoint = await EndpointAsync(redis);
        using var destination = new MemoryStream();

        var e = Assert.ThrowsAsync<WaitTimeoutException>(() => Snapshot().TakeAsync(endpoint, destination, TimeSpan.FromSeconds(2), CancellationToken.None));

        Assert.That(e!.Message, Does.Contain($"waiting for a fresh BGSAVE of redis in 3scale/{endpoint.Pod} to finish").And.Contain("no dump was copied"));
        Assert.That(destination.Length, Is.Zero);
        Assert.That(redis.Cli("INFO", "persistence"), Does.Contain("rdb_bgsave_in_progress:1"), "the save was started and was still running");
    }

    [Test]
    public async Task A_bgsave_already_running_is_awaited_and_a_fresh_one_started_after_it()
    {
        using var redis = LoopbackRedis.Start(Path.Combine(Root, "redis-" + Guid.NewGuid().ToString("N")[..8]));
        for (var i = 0; i < 10; i++) redis.Cli("SET", $"key:{i}", "x");
        redis.Cli("CONFIG", "SET", "rdb-key-save-delay", "100000"); // the running save takes 1 s
        Assert.That(redis.Cli("BGSAVE"), Does.StartWith("Background saving started"));
        redis.Cli("CONFIG", "SET", "rdb-key-save-delay", "0");
        redis.Cli("SET", "late", "written while the first save ran");
        using var destination = new MemoryStream();

        await Snapshot().TakeAsync(await EndpointAsync(redis), destination, TimeSpan.FromSeconds(30), CancellationToken.None);

        var folder = Path.Combine(Root, "restored-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "dump.rdb"), destination.ToArray());
        using var restored = LoopbackRedis.Start(folder);
        Assert.That(restored.Cli("GET", "late"), Is.EqualTo("written while the first save ran"));
    }

    [Test]
    public async Task A_copy_cut_short_is_refused()
    {
        using var redis = LoopbackRedis.Start(Path.Combine(Root, "redis-" + Guid.NewGuid().ToString("N")[..8]));
        redis.Cli("DEBUG", "POPULATE", "5000", "key", "100");
        Assert.That(redis.Cli("DBSIZE"), Is.EqualTo("5000"), "a dump far larger than the cut");
        var endpoint = await EndpointAsync(redis);
        Cluster.Faults.ExecCuts.Add(new KubeRunbooks.Simulator.Faults.ExecCut("^backend-redis-", 20_000));
        try
        {
            var e = Assert.ThrowsAsync<RedisCommandException>(() => Snapshot().TakeAsync(endpoint, Stream.Null, TimeSpan.FromSeconds(30), CancellationToken.None));

            Assert.That(e!.Message, Does.Contain("Copying").And.Contain("dump.rdb"));
        }
        finally
        {
            Cluster.Faults.ExecCuts.Clear();
        }
    }

    [Test]
    public void A_dump_without_its_end_marker_is_not_a_whole_rdb_file()
    {
        using var redis = LoopbackRedis.Start(Path.Combine(Root, "redis-" + Guid.NewGuid().ToString("N")[..8]));
        redis.Cli("SET", "k", "v");
        redis.Cli("SAVE");
        var dump = File.ReadAllBytes(Path.Combine(redis.Folder, "dump.rdb"));

        var whole = new RdbCheck();
        whole.Add(dump.AsSpan(0, 7));
        whole.Add(dump.AsSpan(7));
        var cut = new RdbCheck();
        cut.Add(dump.AsSpan(0, dump.Length - 5));

        Assert.That(whole.IsWholeRdb, Is.True);
        Assert.That(cut.IsWholeRdb, Is.False);
    }

    private RedisSnapshot Snapshot() => new(new PodExec(Client), TimeSpan.FromMilliseconds(100));

    private async Task<RedisEndpoint> EndpointAsync(LoopbackRedis redis)
    {
        await WaitUntilAsync(async () => (await PodsAsync("3scale", "deploymentConfig=backend-redis")).Any(IsReady), "backend-redis is ready");
        var pod = (await PodsAsync("3scale", "deploymentConfig=backend-redis")).First(IsReady);
        return new RedisEndpoint("3scale", pod.Metadata.Name, "backend-redis") { CliArguments = redis.CliArguments, Password = redis.Password };
    }
}

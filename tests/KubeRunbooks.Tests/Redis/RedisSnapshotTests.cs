using k8s;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Kubernetes.Watching;
using KubeRunbooks.Redis;
using KubeRunbooks.Tests.Simulator.Controllers;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Redis;

/// <summary>
/// RedisSnapshot against the real Redis the simulated <c>backend-redis</c> pod of the 3scale install runs (Debian's
/// redis-server inside the container, its data on the pod's volume), reached by redis-cli exec'd in that pod: a
/// fresh BGSAVE (LASTSAVE moved), the dump copied whole and loadable, the password never in argv or the audit log,
/// a BGSAVE that does not finish in time refused. Each test starts from an empty keyspace and default settings.
/// </summary>
[TestFixture]
public sealed class RedisSnapshotTests : ScenarioClusterFixture
{
    private const string Password = "redis-test-password-5f1c";

    // The pod's /etc/hosts maps localhost to the pod's own address, where its server listens.
    private static readonly IReadOnlyList<string> ToOwnServer = ["-h", "localhost"];

    private RedisEndpoint _redis = null!;

    /// <inheritdoc />
    protected override string ScenarioName => "threescale";

    [SetUp]
    public async Task EmptyServerAsync()
    {
        await Eventually.UntilAsync(async () => (await PodsAsync("3scale", "deploymentConfig=backend-redis")).Any(IsReady), "backend-redis is ready", TimeSpan.FromSeconds(60));
        var pod = (await PodsAsync("3scale", "deploymentConfig=backend-redis")).First(IsReady);
        _redis = new RedisEndpoint("3scale", pod.Metadata.Name, "backend-redis") { CliArguments = ToOwnServer };
        // Whatever an earlier test left: a password, a save delay, a save still running, keys.
        await CliAsync(Password, "CONFIG", "SET", "requirepass", "");
        await CliAsync(null, "CONFIG", "SET", "rdb-key-save-delay", "0");
        await Eventually.UntilAsync(async () => (await CliAsync(null, "INFO", "persistence")).Contains("rdb_bgsave_in_progress:0", StringComparison.Ordinal), "no save runs");
        await CliAsync(null, "FLUSHALL");
    }

    [Test]
    public async Task The_dump_is_taken_after_a_fresh_bgsave_and_holds_the_keys_written_after_the_last_save()
    {
        await CliAsync(null, "SET", "before", "1");
        await CliAsync(null, "SAVE");
        for (var i = 0; i < 50; i++) await CliAsync(null, "SET", $"key:{i}", $"value {i}");
        var destination = Path.Combine(Root, "backend-redis-dump.rdb");

        RedisSnapshotResult result;
        await using (var file = File.Create(destination))
            result = await Snapshot().TakeAsync(_redis, file, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.That(result.LastSave, Is.GreaterThan(result.LastSaveBefore), "LASTSAVE moved");
        Assert.That(result.RemotePath, Is.EqualTo("/var/lib/redis/data/dump.rdb"), "the path inside the container, as the image keeps it");
        Assert.That(result.Bytes, Is.EqualTo(new FileInfo(destination).Length));
        var onVolume = Path.Combine(World.ClaimFolder("3scale", "backend-redis-storage"), "dump.rdb");
        Assert.That(File.ReadAllBytes(destination), Is.EqualTo(File.ReadAllBytes(onVolume)), "the copy is the file on the pod's volume");

        // The copy loads in another server with every key.
        using var restored = LoopbackRedis.Start(RestoredFolder(File.ReadAllBytes(destination)));
        Assert.That(restored.Cli("DBSIZE"), Is.EqualTo("51"));
        Assert.That(restored.Cli("GET", "key:49"), Is.EqualTo("value 49"));
    }

    [Test]
    public async Task The_password_reaches_redis_cli_by_the_environment_never_argv_nor_the_audit_log()
    {
        await CliAsync(null, "SET", "k", "v");
        await RequirePasswordAsync();

        await Snapshot().TakeAsync(_redis with { Password = Password }, Stream.Null, TimeSpan.FromSeconds(30), CancellationToken.None);

        var audit = File.ReadAllText(Cluster.AuditLogPath);
        Assert.That(audit, Does.Contain("REDISCLI_AUTH"), "the exec requests are in the audit log");
        Assert.That(audit, Does.Not.Contain(Password));
    }

    [Test]
    public async Task A_wrong_password_is_refused_without_naming_it()
    {
        await RequirePasswordAsync();
        var endpoint = _redis with { Password = "not-the-password-77" };

        var e = Assert.ThrowsAsync<RedisCommandException>(() => Snapshot().TakeAsync(endpoint, Stream.Null, TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.That(e!.Message, Does.Contain("refused the password").And.Not.Contain("not-the-password-77").And.Not.Contain(Password));
    }

    [Test]
    public async Task A_bgsave_that_does_not_finish_in_time_is_refused_and_nothing_is_copied()
    {
        await FillAsync(100, "x");
        await CliAsync(null, "CONFIG", "SET", "rdb-key-save-delay", "50000"); // 0.05 s per key: the save takes 5 s
        using var destination = new MemoryStream();

        var e = Assert.ThrowsAsync<WaitTimeoutException>(() => Snapshot().TakeAsync(_redis, destination, TimeSpan.FromSeconds(2), CancellationToken.None));

        Assert.That(e!.Message, Does.Contain($"waiting for a fresh BGSAVE of redis in 3scale/{_redis.Pod} to finish").And.Contain("no dump was copied"));
        Assert.That(destination.Length, Is.Zero);
        Assert.That(await CliAsync(null, "INFO", "persistence"), Does.Contain("rdb_bgsave_in_progress:1"), "the save was started and was still running");
    }

    [Test]
    public async Task A_bgsave_already_running_is_awaited_and_a_fresh_one_started_after_it()
    {
        await FillAsync(10, "x");
        await CliAsync(null, "CONFIG", "SET", "rdb-key-save-delay", "100000"); // the running save takes 1 s
        Assert.That(await CliAsync(null, "BGSAVE"), Does.StartWith("Background saving started"));
        await CliAsync(null, "CONFIG", "SET", "rdb-key-save-delay", "0");
        await CliAsync(null, "SET", "late", "written while the first save ran");
        using var destination = new MemoryStream();

        await Snapshot().TakeAsync(_redis, destination, TimeSpan.FromSeconds(30), CancellationToken.None);

        using var restored = LoopbackRedis.Start(RestoredFolder(destination.ToArray()));
        Assert.That(restored.Cli("GET", "late"), Is.EqualTo("written while the first save ran"));
    }

    [Test]
    public async Task A_copy_cut_short_is_refused()
    {
        await FillAsync(5000, new string('v', 100));
        Assert.That(await CliAsync(null, "DBSIZE"), Is.EqualTo("5000"), "a dump far larger than the cut");
        Cluster.Faults.ExecCuts.Add(new KubeRunbooks.Simulator.Faults.ExecCut("^backend-redis-", 20_000));
        try
        {
            var e = Assert.ThrowsAsync<RedisCommandException>(() => Snapshot().TakeAsync(_redis, Stream.Null, TimeSpan.FromSeconds(30), CancellationToken.None));

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

    /// <summary>redis-cli in the pod against its own server; with a password, sent on stdin into REDISCLI_AUTH.</summary>
    private async Task<string> CliAsync(string? password, params string[] command)
    {
        var request = new ExecRequest(_redis.Namespace, _redis.Pod, _redis.Container, ["redis-cli", .. ToOwnServer, .. command]);
        if (password is not null) request = request with { Secrets = new Dictionary<string, string> { ["REDISCLI_AUTH"] = password } };
        using var stdout = new MemoryStream();
        await new PodExec(Client).RunCheckedAsync(request, stdout);
        return System.Text.Encoding.UTF8.GetString(stdout.ToArray()).Trim();
    }

    /// <summary>Sets <see cref="Password"/> as the server's password, sent on stdin (redis-cli -x) so no argv holds it.</summary>
    private async Task RequirePasswordAsync()
    {
        using var stdin = new MemoryStream(System.Text.Encoding.ASCII.GetBytes(Password));
        var request = new ExecRequest(_redis.Namespace, _redis.Pod, _redis.Container, ["redis-cli", .. ToOwnServer, "-x", "CONFIG", "SET", "requirepass"]);
        await new PodExec(Client).RunCheckedAsync(request, Stream.Null, stdin);
    }

    /// <summary>Writes <paramref name="count"/> keys <c>key:N</c> in one exec (redis-cli --pipe reads the commands on stdin).</summary>
    private async Task FillAsync(int count, string value)
    {
        var commands = string.Concat(Enumerable.Range(0, count).Select(i => $"SET key:{i} {value}\r\n"));
        using var stdin = new MemoryStream(System.Text.Encoding.ASCII.GetBytes(commands));
        var request = new ExecRequest(_redis.Namespace, _redis.Pod, _redis.Container, ["redis-cli", .. ToOwnServer, "--pipe"]);
        await new PodExec(Client).RunCheckedAsync(request, Stream.Null, stdin);
    }

    private string RestoredFolder(byte[] dump)
    {
        var folder = Path.Combine(Root, "restored-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "dump.rdb"), dump);
        return folder;
    }
}

using k8s;
using KubeRunbooks.Simulator.Faults;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.ThreeScale;

/// <summary>
/// ThreeScaleBackup and ThreeScaleRestore failing through the built host, on the seed's install (DeploymentConfigs,
/// MariaDB): bad input refused before anything changes, a restore failing midway leaves redis-config as it was and
/// says what it left, a BGSAVE that does not finish in time refuses the backup.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ThreeScaleFailureTests
{
    private ThreeScaleWorld _world = null!;
    private string _set = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _world = await ThreeScaleWorld.StartAsync("threescale");
        var backup = _world.Run("--target=ThreeScaleBackup");
        // Setup only, not under test: zync-database's PostgreSQL is at times killed soon after its first start (exec
        // exit 137, an open simulator issue); one more backup then, so the failure paths below still run.
        if (backup.ExitCode != 0 && backup.Error.Contains("exited with code 137", StringComparison.Ordinal))
        {
            TestContext.Progress.WriteLine("first backup hit the zync-database exit 137 issue; taking it again");
            backup = _world.Run("--target=ThreeScaleBackup");
        }
        Assert.That(backup.ExitCode, Is.EqualTo(0), backup.Output + backup.Error);
        _set = ThreeScaleRoundTripTests_SetOf(backup.Output);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _world.DisposeAsync();

    [TestCase("", "ThreeScaleRestore needs --backup=SET")]
    [TestCase("--backup=threescale-19990101-000000", "There is no backup set 'threescale-19990101-000000'")]
    public void A_restore_without_a_usable_set_is_one_error_line_exit_2_and_nothing_changed(string argument, string expected)
    {
        var before = _world.Audit().Count;

        var run = _world.Run(new[] { "--target=ThreeScaleRestore", argument }.Where(a => a.Length > 0).ToArray());

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), run.Error);
        Assert.That(run.Error, Does.StartWith("error: ").And.Contain(expected));
        Assert.That(_world.Audit().Skip(before).Where(a => a.Verb is not ("get" or "list" or "watch")), Is.Empty, "nothing changed");
    }

    [Test]
    public void A_damaged_set_is_refused_before_anything_changes()
    {
        var copy = Path.Combine(_world.BackupFolder, _set.Replace("threescale-", "threescale-damaged-", StringComparison.Ordinal));
        CopyFolder(Path.Combine(_world.BackupFolder, _set), copy);
        var dump = Path.Combine(copy, "backend-redis-dump.rdb");
        var bytes = File.ReadAllBytes(dump);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(dump, bytes);
        var before = _world.Audit().Count;

        var run = _world.Run("--target=ThreeScaleRestore", $"--backup={Path.GetFileName(copy)}");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error, Does.Contain("is refused, nothing was changed").And.Contain("backend-redis-dump.rdb"));
        Assert.That(_world.Audit().Skip(before).Where(a => a.Verb is not ("get" or "list" or "watch")), Is.Empty);
    }

    [Test]
    public async Task A_restore_failing_midway_puts_redis_config_back_and_says_what_it_left()
    {
        var original = (await _world.Client.CoreV1.ReadNamespacedConfigMapAsync("redis-config", ThreeScaleWorld.Ns)).Data["redis.conf"];
        await _world.RedisAsync("system-redis", "SET", "live-key", "kept");
        await _world.RedisAsync("system-redis", "SAVE");
        // The first exec into a system-redis pod after redis-config was edited (moving dump.rdb aside) is refused.
        // (Several times: the client retries a 500.) backend-redis and the steps before it succeed first: the failure is midway.
        var fault = new HttpFault { Method = "GET", PathPattern = "/pods/system-redis-[^/]+/exec", Status = 500, Remaining = 20 };
        _world.Cluster.Faults.AddHttpFault(fault);

        HostRun run;
        try { run = _world.Run("--target=ThreeScaleRestore", $"--backup={_set}"); }
        finally { fault.Remaining = 0; }

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        var all = run.Output + run.Error;
        Assert.That(all, Does.Contain("Loading the dump into deploymentconfig 3scale/system-redis failed while moving")
            .And.Contain("configmap 3scale/redis-config (redis.conf) was put back as it was"));
        Assert.That((await _world.Client.CoreV1.ReadNamespacedConfigMapAsync("redis-config", ThreeScaleWorld.Ns)).Data["redis.conf"], Is.EqualTo(original));
        Assert.That(all, Does.Contain("backend-redis: ").And.Not.Contain("zync:resync:domains ran"), "backend-redis was restored; nothing after system-redis ran");
        Assert.That(await _world.RedisAsync("system-redis", "CONFIG", "GET", "save"), Is.EqualTo("save\n900 1 300 10 60 10000"), "system-redis runs with its save points again");
        Assert.That(await _world.RedisAsync("system-redis", "GET", "live-key"), Is.EqualTo("kept"), "its data was not touched");
    }

    [Test]
    public async Task A_redis_backup_whose_bgsave_does_not_finish_in_time_is_refused()
    {
        Assert.That(await _world.RedisAsync("backend-redis", "EVAL", "for i = 1, 200 do redis.call('SET', 'slow:' .. i, 'x') end return 200", "0"), Is.EqualTo("200"));
        await _world.RedisAsync("backend-redis", "CONFIG", "SET", "rdb-key-save-delay", "100000"); // 0.1 s a key: the save takes 20 s
        _world.WriteProfile("{ redisSaveTimeout: 3s }");
        var before = Directory.GetDirectories(_world.BackupFolder).Length;
        try
        {
            var run = _world.Run("--target=ThreeScaleBackup");

            Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
            Assert.That(run.Output + run.Error, Does.Contain("waiting for a fresh BGSAVE of redis in 3scale/backend-redis").And.Contain("no dump was copied"));
            var sets = Directory.GetDirectories(_world.BackupFolder).Where(d => !Directory.GetFiles(d, "manifest.json").Any(f => File.ReadAllText(f).Contains("\"complete\"", StringComparison.Ordinal)));
            Assert.That(Directory.GetDirectories(_world.BackupFolder).Length - before, Is.LessThanOrEqualTo(1));
            Assert.That(sets.SelectMany(d => Directory.GetFiles(d)).Select(Path.GetFileName), Has.None.EqualTo("backend-redis-dump.rdb"));
        }
        finally
        {
            _world.WriteProfile();
            await _world.RedisAsync("backend-redis", "CONFIG", "SET", "rdb-key-save-delay", "0");
            await _world.RedisAsync("backend-redis", "EVAL", "for i = 1, 200 do redis.call('DEL', 'slow:' .. i) end return 0", "0");
        }
    }

    [Test]
    public void A_scheduled_backup_before_the_next_slot_writes_nothing_and_touches_no_pod()
    {
        // A good set made just now: no daily slot has passed since.
        var folder = Path.Combine(_world.Workspace.Folder, "scheduled-skip");
        var premade = PremadeSet(folder, "threescale-20260101-000000", DateTimeOffset.UtcNow.AddSeconds(-1));
        _world.WriteProfile(backups: "{ folder: scheduled-skip }", schedule: EveryDay);
        var before = _world.Audit().Count;
        try
        {
            var run = _world.Run("--target=ThreeScaleBackup", "--scheduled");

            Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
            Assert.That(run.Output, Does.Contain("No backup: skipped: no slot of"));
            Assert.That(Directory.GetDirectories(folder).Select(Path.GetFileName), Is.EqualTo(new[] { premade }), "nothing written, nothing deleted");
            Assert.That(_world.Audit().Skip(before).Where(a => a.Resource == "pods"), Is.Empty, "no pod read, no exec");
        }
        finally
        {
            _world.WriteProfile();
        }
    }

    [Test]
    public void A_scheduled_backup_after_a_slot_writes_a_set_and_retention_keeps_the_newest_two_of_three()
    {
        // Two good sets, three and two days old (a daily slot has passed since the newer), and one set whose manifest
        // cannot be read: retention 2 keeps the new set and the newer old one, deletes the oldest, leaves the unreadable one.
        var folder = Path.Combine(_world.Workspace.Folder, "retention");
        var oldest = PremadeSet(folder, "threescale-20260101-000000", DateTimeOffset.UtcNow.AddDays(-3));
        var older = PremadeSet(folder, "threescale-20260102-000000", DateTimeOffset.UtcNow.AddDays(-2));
        var unreadable = PremadeSet(folder, "threescale-20260103-000000", DateTimeOffset.UtcNow.AddDays(-4));
        File.WriteAllText(Path.Combine(folder, unreadable, "manifest.json"), "{ not json");
        _world.WriteProfile(backups: "{ folder: retention, retention: 2 }", schedule: EveryDay);
        try
        {
            var run = _world.Run("--target=ThreeScaleBackup", "--scheduled");

            Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
            Assert.That(run.Output, Does.Contain("has passed since the last good set"));
            var written = ThreeScaleRoundTripTests_SetOf(run.Output);
            Assert.That(written, Is.Not.Empty.And.Not.EqualTo(older));
            Assert.That(Directory.GetDirectories(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal),
                Is.EqualTo(new[] { older, unreadable, written }.Order(StringComparer.Ordinal)), "the oldest deleted; the new set, the newer one and the unreadable one kept");
            Assert.That(run.Output, Does.Contain($"Retention: deleted {oldest}.").And.Contain($"Retention: left {unreadable} alone"));
        }
        finally
        {
            _world.WriteProfile();
        }
    }

    private const string EveryDay = "Sun=00:00:00;Mon=00:00:00;Tue=00:00:00;Wed=00:00:00;Thu=00:00:00;Fri=00:00:00;Sat=00:00:00";

    // A copy of the fixture's real set under another name, its manifest's start moved to <paramref name="started"/>.
    private string PremadeSet(string folder, string name, DateTimeOffset started)
    {
        var target = Path.Combine(folder, name);
        CopyFolder(Path.Combine(_world.BackupFolder, _set), target);
        var manifestPath = Path.Combine(target, "manifest.json");
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        manifest["started"] = started.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        return name;
    }

    private static string ThreeScaleRoundTripTests_SetOf(string output) =>
        System.Text.RegularExpressions.Regex.Match(output, @"--backup=(threescale-[0-9-]+)").Groups[1].Value;

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}

using KubeRunbooks.Tests.Kamonohashi;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Pipelines.Rbac;

/// <summary>
/// StorageBackup and StorageRestore run by the service account holding exactly their manifests on an RBAC-enforcing
/// cluster with the KAMONOHASHI storage tree: both pass; with one rule narrowed each is refused before its first request.
/// </summary>
[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StorageRbacTests
{
    private StorageWorld _world = null!;
    private RbacAccount _account = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _world = await StorageWorld.StartAsync(enforceRbac: true);
        _account = await RbacAccount.CreateAsync(_world.Cluster, _world.Workspace);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _world.DisposeAsync();

    private async Task<HostRun> RunWithAsync(string yaml, params string[] args)
    {
        await _account.GrantExactlyAsync(yaml);
        return _world.Run(args.Prepend("--cluster=rbac").ToArray());
    }

    [Test, Order(1)]
    public async Task Backup_and_restore_pass_with_exactly_their_roles()
    {
        var mark = _account.Mark();
        RbacAssert.Passed(await RunWithAsync(RbacAccount.Manifest("kamonohashi-storage-backup.yaml"), "--target=StorageBackup"), _account, mark);

        mark = _account.Mark();
        RbacAssert.Passed(await RunWithAsync(RbacAccount.Manifest("kamonohashi-storage-restore.yaml"), "--target=StorageRestore", $"--backup={_world.SetNames().Last()}"), _account, mark);
    }

    [TestCase("kamonohashi-storage-backup.yaml", "resources: [\"pods/exec\"]\n    verbs: [\"create\"]", "resources: [\"pods/exec\"]\n    verbs: [\"get\"]",
        "create pods/exec in namespace kqi-system", "StorageBackup")]
    [TestCase("kamonohashi-storage-restore.yaml", "resources: [\"deployments/scale\"]\n    verbs: [\"patch\"]", "resources: [\"deployments/scale\"]\n    verbs: [\"get\"]",
        "patch deployments.apps/scale in namespace kqi-system", "StorageRestore")]
    [Order(2)]
    public async Task With_one_rule_narrowed_the_target_is_refused_before_its_first_request(string manifest, string rule, string narrowed, string permission, string target)
    {
        var yaml = RbacAccount.Without(manifest, rule, narrowed);
        await _account.GrantExactlyAsync(yaml);
        var writes = File.ReadAllLines(_world.Cluster.AuditLogPath).Length;
        var mark = _account.Mark();
        var arguments = target == "StorageRestore" ? new[] { $"--target={target}", $"--backup={_world.SetNames().Last()}" } : [$"--target={target}"];

        var run = _world.Run(arguments.Prepend("--cluster=rbac").ToArray());

        RbacAssert.Refused(run, target, manifest, permission, _account, mark);
        Assert.That(File.ReadAllLines(_world.Cluster.AuditLogPath), Has.Length.EqualTo(writes), "no write reached the cluster");
    }
}

using KubeRunbooks.Tests.Support;
using KubeRunbooks.Tests.ThreeScale;

namespace KubeRunbooks.Tests.Pipelines.Rbac;

/// <summary>
/// ThreeScaleBackup and ThreeScaleRestore run by the service account holding exactly their manifests on an
/// RBAC-enforcing 3scale install (DeploymentConfigs, MariaDB, two Redis): both pass; with one rule narrowed each is
/// refused before its first request, exit 2.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ThreeScaleRbacTests
{
    private ThreeScaleWorld _world = null!;
    private RbacAccount _account = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _world = await ThreeScaleWorld.StartAsync("threescale", enforceRbac: true);
        _account = await RbacAccount.CreateAsync(_world.Cluster, _world.Workspace);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _world.DisposeAsync();

    private async Task<HostRun> RunWithAsync(string yaml, params string[] args)
    {
        await _account.GrantExactlyAsync(yaml);
        return _world.Workspace.Run(args.Prepend("--cluster=rbac").ToArray());
    }

    private string NewestSet() => Directory.GetDirectories(_world.BackupFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal).Last()!;

    [Test, Order(1)]
    public async Task Backup_and_restore_pass_with_exactly_their_roles()
    {
        var mark = _account.Mark();
        RbacAssert.Passed(await RunWithAsync(RbacAccount.Manifest("threescale-backup.yaml"), "--target=ThreeScaleBackup"), _account, mark);

        mark = _account.Mark();
        RbacAssert.Passed(await RunWithAsync(RbacAccount.Manifest("threescale-restore.yaml"), "--target=ThreeScaleRestore", $"--backup={NewestSet()}"), _account, mark);
    }

    [TestCase("threescale-backup.yaml", "resources: [\"secrets\", \"configmaps\"]\n    verbs: [\"get\"]", "resources: [\"configmaps\"]\n    verbs: [\"get\"]",
        "get secrets in namespace 3scale", "ThreeScaleBackup")]
    [TestCase("threescale-restore.yaml", "resources: [\"deploymentconfigs/status\"]\n    verbs: [\"patch\"]", "resources: [\"deploymentconfigs/status\"]\n    verbs: [\"get\"]",
        "patch deploymentconfigs.apps.openshift.io/status in namespace 3scale", "ThreeScaleRestore")]
    [Order(2)]
    public async Task With_one_rule_narrowed_the_target_is_refused_before_its_first_request(string manifest, string rule, string narrowed, string permission, string target)
    {
        var yaml = RbacAccount.Without(manifest, rule, narrowed);
        await _account.GrantExactlyAsync(yaml);
        var writes = File.ReadAllLines(_world.Cluster.AuditLogPath).Length;
        var mark = _account.Mark();
        var arguments = target == "ThreeScaleRestore" ? new[] { $"--target={target}", $"--backup={NewestSet()}" } : [$"--target={target}"];

        var run = _world.Workspace.Run(arguments.Prepend("--cluster=rbac").ToArray());

        RbacAssert.Refused(run, target, manifest, permission, _account, mark);
        Assert.That(File.ReadAllLines(_world.Cluster.AuditLogPath), Has.Length.EqualTo(writes), "no write reached the cluster");
    }
}

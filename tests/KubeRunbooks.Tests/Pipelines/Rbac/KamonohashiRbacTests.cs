using KubeRunbooks.Tests.Kamonohashi;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Pipelines.Rbac;

/// <summary>
/// The KAMONOHASHI database targets run by the service account holding exactly one manifest each, on one
/// RBAC-enforcing cluster with the scenario's real PostgreSQL: PostgresBackup, PostgresRestore and
/// RotateDatabasePassword pass with their roles; with one rule narrowed each is refused before its first request.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class KamonohashiRbacTests
{
    private PostgresWorld _world = null!;
    private RbacAccount _account = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _world = await PostgresWorld.StartAsync(enforceRbac: true);
        _account = await RbacAccount.CreateAsync(_world.Cluster, _world.Workspace);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _world.DisposeAsync();

    private async Task<HostRun> RunWithAsync(string yaml, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        await _account.GrantExactlyAsync(yaml, profile: "db");
        return _world.Run(environment ?? new Dictionary<string, string>(), args.Prepend("--cluster=rbac").ToArray());
    }

    [Test, Order(1)]
    public async Task Backup_restore_and_password_rotation_pass_with_exactly_their_roles()
    {
        var mark = _account.Mark();
        RbacAssert.Passed(await RunWithAsync(RbacAccount.Manifest("kamonohashi-postgres-backup.yaml"), null, "--target=PostgresBackup"), _account, mark);
        var set = _world.Sets().Last();

        mark = _account.Mark();
        RbacAssert.Passed(await RunWithAsync(RbacAccount.Manifest("kamonohashi-postgres-restore.yaml"), null, "--target=PostgresRestore", $"--backup={set}"), _account, mark);

        // The restored server restarts: the rotation's preflight logs in with the password in use.
        await _world.WaitUntilAnsweringAsync();
        mark = _account.Mark();
        RbacAssert.Passed(await RunWithAsync(RbacAccount.Manifest("kamonohashi-credentials.yaml"),
            new Dictionary<string, string> { ["KUBERUNBOOKS_DB_PASSWORD"] = "rbac-N3w-Pw-0001" }, "--target=RotateDatabasePassword"), _account, mark);
    }

    [TestCase("kamonohashi-postgres-backup.yaml", "resources: [\"pods/exec\"]\n    verbs: [\"create\"]", "resources: [\"pods/exec\"]\n    verbs: [\"get\"]",
        "create pods/exec in namespace kqi-system", "PostgresBackup")]
    [TestCase("kamonohashi-postgres-restore.yaml", "resources: [\"deployments/scale\"]\n    verbs: [\"patch\"]", "resources: [\"deployments/scale\"]\n    verbs: [\"get\"]",
        "patch deployments.apps/scale in namespace kqi-system", "PostgresRestore")]
    [TestCase("kamonohashi-credentials.yaml", "resources: [\"secrets\"]\n    verbs: [\"get\", \"update\"]", "resources: [\"secrets\"]\n    verbs: [\"get\"]",
        "update secrets in namespace kqi-system", "RotateCredentials")]
    [Order(2)]
    public async Task With_one_rule_narrowed_the_target_is_refused_before_its_first_request(string manifest, string rule, string narrowed, string permission, string target)
    {
        var yaml = RbacAccount.Without(manifest, rule, narrowed);
        await _account.GrantExactlyAsync(yaml, profile: "db");
        var writes = File.ReadAllLines(_world.Cluster.AuditLogPath).Length;
        var mark = _account.Mark();
        var arguments = target == "PostgresRestore" ? new[] { $"--target={target}", $"--backup={_world.Sets().Last()}" } : [$"--target={target}"];
        var environment = new Dictionary<string, string> { ["KUBERUNBOOKS_DB_PASSWORD"] = "rbac-N3w-Pw-0002", ["KUBERUNBOOKS_STORAGE_SECRET_KEY"] = "rbac-N3w-Key-0002" };

        var run = _world.Run(environment, arguments.Prepend("--cluster=rbac").ToArray());

        RbacAssert.Refused(run, target, manifest, permission, _account, mark);
        Assert.That(File.ReadAllLines(_world.Cluster.AuditLogPath), Has.Length.EqualTo(writes), "no write reached the cluster");
    }
}

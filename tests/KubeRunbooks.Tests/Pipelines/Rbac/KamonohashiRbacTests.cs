using k8s;
using KubeRunbooks.Simulator.Faults;
using KubeRunbooks.Tests.Kamonohashi;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Pipelines.Rbac;

/// <summary>
/// The KAMONOHASHI database and credential targets run by the service account holding exactly one manifest each, on
/// one RBAC-enforcing cluster with the scenario's real PostgreSQL and MinIO: PostgresBackup, PostgresRestore,
/// RotateDatabasePassword, RotateStoragePassword and RotateCredentials pass with their roles; with one rule narrowed
/// each manifest is refused before its first request.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class KamonohashiRbacTests : RbacWorldFixture<PostgresWorld>
{
    /// <inheritdoc />
    protected override Task<PostgresWorld> StartWorldAsync() => PostgresWorld.StartAsync(enforceRbac: true);

    /// <inheritdoc />
    protected override string Profile => "db";

    private static Dictionary<string, string> Env(params (string Name, string Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value);

    [TearDown]
    public void ClearFaults()
    {
        while (World.Cluster.Faults.TakeHttpFault("GET", ExecPath) is not null) { }
    }

    // The WebSocket upgrade of an exec into the database pod (its name does not matter to the fault).
    private const string ExecPath = "/api/v1/namespaces/kqi-system/pods/any/exec";

    private static HttpFault ExecForbidden() => new() { Method = "GET", PathPattern = "^/api/v1/namespaces/kqi-system/pods/[^/]+/exec$", Status = 403, Remaining = 1 };

    [Test, Order(1)]
    public async Task Backup_restore_and_credential_rotations_pass_with_exactly_their_roles()
    {
        await PassesWithAsync("kamonohashi-postgres-backup.yaml", null, "--target=PostgresBackup");
        await PassesWithAsync("kamonohashi-postgres-restore.yaml", null, "--target=PostgresRestore", $"--backup={World.Sets().Last()}");

        // The restored server restarts: the rotation's preflight logs in with the password in use.
        await World.WaitUntilAnsweringAsync();
        await PassesWithAsync("kamonohashi-credentials.yaml", Env(("KUBERUNBOOKS_DB_PASSWORD", "rbac-N3w-Pw-0001")), "--target=RotateDatabasePassword");

        // The same role rotates the MinIO key alone, then both (the database first, as the seed's credentials all).
        await PassesWithAsync("kamonohashi-credentials.yaml", Env(("KUBERUNBOOKS_STORAGE_SECRET_KEY", "rbac-N3w-Key-0001")), "--target=RotateStoragePassword");
        await World.WaitUntilAnsweringAsync();
        await PassesWithAsync("kamonohashi-credentials.yaml", Env(("KUBERUNBOOKS_DB_PASSWORD", "rbac-N3w-Pw-0003"), ("KUBERUNBOOKS_STORAGE_SECRET_KEY", "rbac-N3w-Key-0003")),
            "--target=RotateCredentials");
        var minio = await World.Client.CoreV1.ReadNamespacedSecretAsync("minio-credential", PostgresWorld.Namespace);
        Assert.That(System.Text.Encoding.UTF8.GetString(minio.Data["MINIO_SECRET_KEY"]), Is.EqualTo("rbac-N3w-Key-0003"));
    }

    [TestCase("kamonohashi-postgres-backup.yaml", "resources: [\"pods/exec\"]\n    verbs: [\"create\"]", "resources: [\"pods/exec\"]\n    verbs: [\"get\"]",
        "create pods/exec in namespace kqi-system", "PostgresBackup")]
    [TestCase("kamonohashi-postgres-restore.yaml", "resources: [\"deployments/scale\"]\n    verbs: [\"patch\"]", "resources: [\"deployments/scale\"]\n    verbs: [\"get\"]",
        "patch deployments.apps/scale in namespace kqi-system", "PostgresRestore")]
    [TestCase("kamonohashi-credentials.yaml", "resources: [\"secrets\"]\n    verbs: [\"get\", \"update\"]", "resources: [\"secrets\"]\n    verbs: [\"get\"]",
        "update secrets in namespace kqi-system", "RotateCredentials")]
    [Order(2)]
    public Task With_one_rule_narrowed_the_target_is_refused_before_its_first_request(string manifest, string rule, string narrowed, string permission, string target) =>
        RefusedBeforeFirstRequestAsync(manifest, rule, narrowed, permission, target,
            Env(("KUBERUNBOOKS_DB_PASSWORD", "rbac-N3w-Pw-0002"), ("KUBERUNBOOKS_STORAGE_SECRET_KEY", "rbac-N3w-Key-0002")),
            target == "PostgresRestore" ? [$"--backup={World.Sets().Last()}"] : []);

    [Test, Order(3)]
    public async Task A_403_on_an_exec_before_any_change_is_one_line_naming_create_pods_exec_exit_2()
    {
        // The rotation's preflight logs in by exec before it takes the lock: nothing has changed yet.
        await World.WaitUntilAnsweringAsync();
        await Account.GrantExactlyAsync(RbacAccount.Manifest("kamonohashi-credentials.yaml"), Profile);
        var writes = File.ReadAllLines(World.Cluster.AuditLogPath).Length;
        World.Cluster.Faults.AddHttpFault(ExecForbidden());

        var run = RunAsAccount(Env(("KUBERUNBOOKS_DB_PASSWORD", "rbac-N3w-Pw-0004")), "--target=RotateDatabasePassword");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        var errors = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(errors, Has.Length.EqualTo(1), run.Error);
        Assert.That(errors[0], Does.Match("^error: This account may not create pods/exec \"[a-z0-9-]+\" in namespace kqi-system \\(the API server answered 403 Forbidden before any change\\); grant the target's role from rbac/\\. Nothing was changed\\.$"));
        Assert.That(run.Output + run.Error, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(File.ReadAllLines(World.Cluster.AuditLogPath), Has.Length.EqualTo(writes), "no write reached the cluster");
    }

    [Test, Order(4)]
    public async Task A_403_on_an_exec_after_the_lock_fails_the_step_exit_1_naming_create_pods_exec_and_keeps_no_set()
    {
        await World.WaitUntilAnsweringAsync();
        await Account.GrantExactlyAsync(RbacAccount.Manifest("kamonohashi-postgres-backup.yaml"), Profile);
        var sets = World.Sets();
        World.Cluster.Faults.AddHttpFault(ExecForbidden());

        var run = RunAsAccount(null, "--target=PostgresBackup");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        var refused = (run.Output + run.Error).Split('\n').Where(l => l.Contains("403 Forbidden", StringComparison.Ordinal)).ToList();
        Assert.That(refused, Is.Not.Empty, run.Output + run.Error);
        Assert.That(refused, Has.All.Contain("may not create pods/exec \"").And.All.Contain("in namespace kqi-system").And.All.Contain("after the run had changed the cluster").And.All.Contain("rbac/"));
        Assert.That(run.Error, Does.Not.Contain("Nothing was changed"), "the lock was taken: a change, so a failed step, not input to correct");
        Assert.That(World.Sets(), Is.EqualTo(sets), "no set, not even a failed one, is left");
        var leases = await World.Client.CoordinationV1.ListNamespacedLeaseAsync("kqi-system");
        Assert.That(leases.Items.Where(l => l.Metadata.Name == "kuberunbooks-lock" && !string.IsNullOrEmpty(l.Spec?.HolderIdentity)), Is.Empty, "the lock was released");
    }
}

using KubeRunbooks.Tests.Exastro;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Pipelines.Rbac;

/// <summary>
/// ExastroBackup and ExastroRestore run by the service account holding exactly <c>rbac/exastro-backup-restore.yaml</c>
/// on an RBAC-enforcing Exastro install (one MariaDB): both pass; without exec into pods the backup is refused before
/// its first request, exit 2, and nothing is stopped.
/// </summary>
[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ExastroRbacTests
{
    private const string Manifest = "exastro-backup-restore.yaml";
    private ExastroWorld _world = null!;
    private RbacAccount _account = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _world = await ExastroWorld.StartAsync("exastro", enforceRbac: true);
        _account = await RbacAccount.CreateAsync(_world.Cluster, _world.Workspace);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _world.DisposeAsync();

    private HostRun Run(params string[] args) => _world.Run(args.Prepend("--cluster=rbac").ToArray());

    [Test, Order(1)]
    public async Task Backup_and_restore_pass_with_exactly_their_role()
    {
        await _account.GrantExactlyAsync(RbacAccount.Manifest(Manifest));
        var mark = _account.Mark();
        RbacAssert.Passed(Run("--target=ExastroBackup"), _account, mark);
        var set = Directory.GetDirectories(_world.BackupFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal).Last()!;

        mark = _account.Mark();
        RbacAssert.Passed(Run("--target=ExastroRestore", $"--backup={set}"), _account, mark);
    }

    [Test, Order(2)]
    public async Task Without_exec_into_pods_the_backup_is_refused_before_anything_stops()
    {
        await _account.GrantExactlyAsync(RbacAccount.Without(Manifest, "resources: [\"pods/exec\"]\n    verbs: [\"create\"]", "resources: [\"pods/exec\"]\n    verbs: [\"get\"]"));
        var writes = _world.Audit().Count;
        var mark = _account.Mark();

        var run = Run("--target=ExastroBackup");

        RbacAssert.Refused(run, "ExastroBackup", Manifest, "create pods/exec in namespace exastro", _account, mark);
        Assert.That(_world.Audit(), Has.Count.EqualTo(writes), "nothing was stopped or written");
    }
}

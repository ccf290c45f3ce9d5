using KubeRunbooks.Tests.Exastro;

namespace KubeRunbooks.Tests.Pipelines.Rbac;

/// <summary>
/// ExastroBackup and ExastroRestore run by the service account holding exactly <c>rbac/exastro-backup-restore.yaml</c>
/// on an RBAC-enforcing Exastro install (one MariaDB): both pass; without exec into pods the backup is refused before
/// its first request, exit 2, and nothing is stopped.
/// </summary>
[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ExastroRbacTests : RbacWorldFixture<ExastroWorld>
{
    private const string Manifest = "exastro-backup-restore.yaml";

    /// <inheritdoc />
    protected override Task<ExastroWorld> StartWorldAsync() => ExastroWorld.StartAsync("exastro", enforceRbac: true);

    [Test, Order(1)]
    public async Task Backup_and_restore_pass_with_exactly_their_role()
    {
        await PassesWithAsync(Manifest, null, "--target=ExastroBackup");
        var set = Directory.GetDirectories(World.BackupFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal).Last()!;
        await PassesWithAsync(Manifest, null, "--target=ExastroRestore", $"--backup={set}");
    }

    [Test, Order(2)]
    public Task Without_exec_into_pods_the_backup_is_refused_before_anything_stops() =>
        RefusedBeforeFirstRequestAsync(Manifest, "resources: [\"pods/exec\"]\n    verbs: [\"create\"]", "resources: [\"pods/exec\"]\n    verbs: [\"get\"]",
            "create pods/exec in namespace exastro", "ExastroBackup", null);
}

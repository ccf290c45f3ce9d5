using KubeRunbooks.Tests.ThreeScale;

namespace KubeRunbooks.Tests.Pipelines.Rbac;

/// <summary>
/// ThreeScaleBackup and ThreeScaleRestore run by the service account holding exactly their manifests on an
/// RBAC-enforcing 3scale install of one variant: both pass; the variants add the rules each exercises, narrowed.
/// </summary>
public abstract class ThreeScaleRbacTests(string scenario) : RbacWorldFixture<ThreeScaleWorld>
{
    /// <inheritdoc />
    protected override Task<ThreeScaleWorld> StartWorldAsync() => ThreeScaleWorld.StartAsync(scenario, enforceRbac: true);

    /// <summary>The newest set's name.</summary>
    protected string NewestSet() => Directory.GetDirectories(World.BackupFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal).Last()!;

    [Test, Order(1)]
    public async Task Backup_and_restore_pass_with_exactly_their_roles()
    {
        await PassesWithAsync("threescale-backup.yaml", null, "--target=ThreeScaleBackup");
        await PassesWithAsync("threescale-restore.yaml", null, "--target=ThreeScaleRestore", $"--backup={NewestSet()}");
    }

    /// <summary>A manifest with one rule narrowed: the target is refused before its first request.</summary>
    protected Task RefusedAsync(string manifest, string rule, string narrowed, string permission, string target) =>
        RefusedBeforeFirstRequestAsync(manifest, rule, narrowed, permission, target, null,
            target == "ThreeScaleRestore" ? [$"--backup={NewestSet()}"] : []);
}

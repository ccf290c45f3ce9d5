using KubeRunbooks.Tests.Kamonohashi;

namespace KubeRunbooks.Tests.Pipelines.Rbac;

/// <summary>
/// StorageBackup and StorageRestore run by the service account holding exactly their manifests on an RBAC-enforcing
/// cluster with the KAMONOHASHI storage tree: both pass; with one rule narrowed each is refused before its first request.
/// </summary>
[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StorageRbacTests : RbacWorldFixture<StorageWorld>
{
    /// <inheritdoc />
    protected override Task<StorageWorld> StartWorldAsync() => StorageWorld.StartAsync(enforceRbac: true);

    [Test, Order(1)]
    public async Task Backup_and_restore_pass_with_exactly_their_roles()
    {
        await PassesWithAsync("kamonohashi-storage-backup.yaml", null, "--target=StorageBackup");
        await PassesWithAsync("kamonohashi-storage-restore.yaml", null, "--target=StorageRestore", $"--backup={World.SetNames().Last()}");
    }

    [TestCase("kamonohashi-storage-backup.yaml", "resources: [\"pods/exec\"]\n    verbs: [\"create\"]", "resources: [\"pods/exec\"]\n    verbs: [\"get\"]",
        "create pods/exec in namespace kqi-system", "StorageBackup")]
    [TestCase("kamonohashi-storage-restore.yaml", "resources: [\"deployments/scale\"]\n    verbs: [\"patch\"]", "resources: [\"deployments/scale\"]\n    verbs: [\"get\"]",
        "patch deployments.apps/scale in namespace kqi-system", "StorageRestore")]
    [Order(2)]
    public Task With_one_rule_narrowed_the_target_is_refused_before_its_first_request(string manifest, string rule, string narrowed, string permission, string target) =>
        RefusedBeforeFirstRequestAsync(manifest, rule, narrowed, permission, target, null,
            target == "StorageRestore" ? [$"--backup={World.SetNames().Last()}"] : []);
}

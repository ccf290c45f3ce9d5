using Cake.Frosting;
using KubeRunbooks.Tasks.Common;

namespace KubeRunbooks.Tasks.ThreeScale;

// The 3scale procedures of seed 004, each read from its dependencies in order.

/// <summary>Seed 004's backup: system database, system storage, zync-database, both Redis dumps, 13 Secrets, 7 ConfigMaps.</summary>
[TaskName(ThreeScaleTargets.Backup)]
[TaskDescription("3scale (seed 004): system database, system storage, zync-database, backend-redis and system-redis dumps (fresh BGSAVE), Secrets and ConfigMaps into one verified set")]
[IsDependentOn(typeof(ThreeScaleBackupPreflightTask))]
[IsDependentOn(typeof(LockTask))]
[IsDependentOn(typeof(BackupThreeScaleTask))]
public sealed class ThreeScaleBackupTask : FrostingTask
{
}

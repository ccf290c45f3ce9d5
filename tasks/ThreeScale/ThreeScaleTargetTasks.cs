using Cake.Frosting;
using KubeRunbooks.Tasks.Common;

namespace KubeRunbooks.Tasks.ThreeScale;

// The 3scale procedures of seed 004, each read from its dependencies in order.

/// <summary>
/// Seed 004's backup: system database, system storage, zync-database, both Redis dumps, 13 Secrets, 7 ConfigMaps;
/// then retention; with --scheduled only when a slot of the profile's schedule has passed since the last good set.
/// </summary>
[TaskName(ThreeScaleTargets.Backup)]
[TaskDescription("[--scheduled]: 3scale (seed 004): system database, system storage, zync-database, backend-redis and system-redis dumps (fresh BGSAVE), Secrets and ConfigMaps into one verified set; newest backups.retention sets kept")]
[IsDependentOn(typeof(ThreeScaleBackupPreflightTask))]
[IsDependentOn(typeof(LockTask))]
[IsDependentOn(typeof(BackupThreeScaleTask))]
[IsDependentOn(typeof(ThreeScaleRetentionTask))]
public sealed class ThreeScaleBackupTask : FrostingTask
{
}

/// <summary>
/// Seed 004's restore, in its order, after the set is verified: Secrets, ConfigMaps, the system database, the system
/// storage (mirrored), zync-database, backend-redis then system-redis, rollouts of backend-worker and system-app,
/// the domain resync in system-sidekiq; the seed's open issues reported as warnings.
/// </summary>
[TaskName(ThreeScaleTargets.Restore)]
[TaskDescription("--backup=SET: 3scale (seed 004) restored in the seed's order: Secrets, ConfigMaps, system database, storage, zync-database, backend-redis, system-redis, rollouts, zync:resync:domains")]
[IsDependentOn(typeof(ThreeScaleRestorePreflightTask))]
[IsDependentOn(typeof(LockTask))]
[IsDependentOn(typeof(RestoreThreeScaleSecretsTask))]
[IsDependentOn(typeof(RestoreThreeScaleConfigMapsTask))]
[IsDependentOn(typeof(RestoreThreeScaleSystemDatabaseTask))]
[IsDependentOn(typeof(RestoreThreeScaleSystemStorageTask))]
[IsDependentOn(typeof(RestoreThreeScaleZyncDatabaseTask))]
[IsDependentOn(typeof(RestoreThreeScaleBackendRedisTask))]
[IsDependentOn(typeof(RestoreThreeScaleSystemRedisTask))]
[IsDependentOn(typeof(RolloutThreeScaleAppsTask))]
[IsDependentOn(typeof(ResyncThreeScaleDomainsTask))]
[IsDependentOn(typeof(ThreeScaleRestoreReportTask))]
public sealed class ThreeScaleRestoreTask : FrostingTask
{
}

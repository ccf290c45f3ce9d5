using Cake.Frosting;
using KubeRunbooks.Tasks.Common;

namespace KubeRunbooks.Tasks.Vantiq;

// The Vantiq procedures of seed 002, each read from its dependencies in order.

/// <summary>Minor upgrade (e.g. 1.30.10 -> 1.31.0) with downtime: stop, back up, deploy, migrate on one pod, restore the replicas.</summary>
[TaskName(VantiqTargets.UpgradeMinor)]
[TaskDescription("Minor upgrade --to=X.Y.Z: stop, MongoDB backup, deploy, load-model on vantiq-0, replicas back (resumes when rerun; --fresh starts over)")]
[IsDependentOn(typeof(VantiqPreflightTask))]
[IsDependentOn(typeof(LockTask))]
[IsDependentOn(typeof(RecordVantiqReplicasTask))]
[IsDependentOn(typeof(StopVantiqTask))]
[IsDependentOn(typeof(BackupMongoTask))]
[IsDependentOn(typeof(DeployVantiqTask))]
[IsDependentOn(typeof(HoldForMigrationTask))]
[IsDependentOn(typeof(WaitSchemaMigrationTask))]
[IsDependentOn(typeof(WaitVantiqReadyTask))]
[IsDependentOn(typeof(RestoreVantiqReplicasTask))]
[IsDependentOn(typeof(VantiqReportTask))]
public sealed class UpgradeMinorTask : FrostingTask
{
}

/// <summary>Back to the version before a minor upgrade, with the backup it took restored.</summary>
[TaskName(VantiqTargets.RollbackMinor)]
[TaskDescription("Minor rollback: stop, restore the upgrade's MongoDB backup (or --backup=ID), previous image, replicas back")]
[IsDependentOn(typeof(VantiqPreflightTask))]
[IsDependentOn(typeof(LockTask))]
[IsDependentOn(typeof(RecordVantiqReplicasTask))]
[IsDependentOn(typeof(StopVantiqTask))]
[IsDependentOn(typeof(RestoreMongoTask))]
[IsDependentOn(typeof(DeployVantiqTask))]
[IsDependentOn(typeof(HoldForMigrationTask))]
[IsDependentOn(typeof(WaitSchemaMigrationTask))]
[IsDependentOn(typeof(WaitVantiqReadyTask))]
[IsDependentOn(typeof(RestoreVantiqReplicasTask))]
[IsDependentOn(typeof(VantiqReportTask))]
public sealed class RollbackMinorTask : FrostingTask
{
}

/// <summary>Patch upgrade (e.g. 1.30.10 -> 1.30.11) by rolling update, without downtime.</summary>
[TaskName(VantiqTargets.UpgradePatch)]
[TaskDescription("Patch upgrade --to=X.Y.Z: deploy, then wait until every pod runs the new revision")]
[IsDependentOn(typeof(VantiqPreflightTask))]
[IsDependentOn(typeof(LockTask))]
[IsDependentOn(typeof(DeployVantiqTask))]
[IsDependentOn(typeof(WaitVantiqRolloutTask))]
[IsDependentOn(typeof(VantiqReportTask))]
public sealed class UpgradePatchTask : FrostingTask
{
}

/// <summary>Back to the previous patch version by rolling update.</summary>
[TaskName(VantiqTargets.RollbackPatch)]
[TaskDescription("Patch rollback: the previous image, then wait until every pod runs it")]
[IsDependentOn(typeof(VantiqPreflightTask))]
[IsDependentOn(typeof(LockTask))]
[IsDependentOn(typeof(DeployVantiqTask))]
[IsDependentOn(typeof(WaitVantiqRolloutTask))]
[IsDependentOn(typeof(VantiqReportTask))]
public sealed class RollbackPatchTask : FrostingTask
{
}

/// <summary>A MongoDB backup from the CronJob's template, without downtime (for schedules).</summary>
[TaskName(VantiqTargets.MongoBackup)]
[TaskDescription("MongoDB backup Job from CronJob mongobackup, without downtime")]
[IsDependentOn(typeof(VantiqPreflightTask))]
[IsDependentOn(typeof(LockTask))]
[IsDependentOn(typeof(BackupMongoTask))]
[IsDependentOn(typeof(VantiqReportTask))]
public sealed class MongoBackupTask : FrostingTask
{
}

/// <summary>A MongoDB restore with Vantiq stopped.</summary>
[TaskName(VantiqTargets.MongoRestore)]
[TaskDescription("MongoDB restore --backup=ID: stop Vantiq, restore Job from the mongobackup template, replicas back")]
[IsDependentOn(typeof(VantiqPreflightTask))]
[IsDependentOn(typeof(LockTask))]
[IsDependentOn(typeof(RecordVantiqReplicasTask))]
[IsDependentOn(typeof(StopVantiqTask))]
[IsDependentOn(typeof(RestoreMongoTask))]
[IsDependentOn(typeof(RestoreVantiqReplicasTask))]
[IsDependentOn(typeof(VantiqReportTask))]
public sealed class MongoRestoreTask : FrostingTask
{
}

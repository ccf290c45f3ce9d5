using Cake.Frosting;
using KubeRunbooks.Tasks.Common;

namespace KubeRunbooks.Tasks.Kamonohashi;

// The KAMONOHASHI procedures of seed 000, each read from its dependencies in order.

/// <summary>
/// The seed's "バックアップ設定を変更する": the application's weekly backup slots and generations set on the cluster,
/// the application rolled out; with --save-profile the profile's schedule too.
/// </summary>
[TaskName(KamonohashiTargets.SetBackupSchedule)]
[TaskDescription("--schedule=\"Sun=01:00:00;Mon=01:00:00\" --keep=N [--save-profile]: the application's backup timer settings, then a rollout")]
[IsDependentOn(typeof(BackupSchedulePreflightTask))]
[IsDependentOn(typeof(LockTask))]
[IsDependentOn(typeof(WriteBackupSettingsTask))]
[IsDependentOn(typeof(RolloutKamonohashiAppTask))]
[IsDependentOn(typeof(SaveBackupScheduleToProfileTask))]
public sealed class SetBackupScheduleTask : FrostingTask
{
}

/// <summary>
/// The seed's database backup (kqi-backup-&lt;date&gt;.sql, MaxNumberOfBackupFiles generations): pg_dumpall into a verified
/// backup set, then retention; with --scheduled only when a slot of the weekly schedule has passed since the last good set.
/// </summary>
[TaskName(KamonohashiTargets.PostgresBackup)]
[TaskDescription("[--scheduled] [--compress]: pg_dumpall into a verified set kqi-backup-<yyyyMMdd>.sql[.gz], newest backups.retention sets kept")]
[IsDependentOn(typeof(PostgresBackupPreflightTask))]
[IsDependentOn(typeof(LockTask))]
[IsDependentOn(typeof(DumpPostgresTask))]
[IsDependentOn(typeof(PostgresRetentionTask))]
public sealed class PostgresBackupTask : FrostingTask
{
}

/// <summary>
/// The seed's "データベースの復元" on Kubernetes: verify the set, lock, stop the application and the database, move the
/// data folder aside (kept), restore the dump into a fresh server on an empty folder, start everything again. A
/// failure after the move puts the original folder back; a rerun with the same set finishes a killed run.
/// </summary>
[TaskName(KamonohashiTargets.PostgresRestore)]
[TaskDescription("--backup=SET: stop app and database, move the data folder aside (kept), psql -f - into a fresh server, start again")]
[IsDependentOn(typeof(PostgresRestorePreflightTask))]
[IsDependentOn(typeof(LockTask))]
[IsDependentOn(typeof(StopForPostgresRestoreTask))]
[IsDependentOn(typeof(MovePostgresDataAsideTask))]
[IsDependentOn(typeof(RestorePostgresDumpTask))]
[IsDependentOn(typeof(StartAfterPostgresRestoreTask))]
public sealed class PostgresRestoreTask : FrostingTask
{
}

/// <summary>
/// The seed's <c>deploy-kamonohashi.sh credentials db</c>: the new password from the "DB Password" prompt, a file or a
/// variable; the role changed by ALTER ROLE and checked by a real login, then the Secret, then its consumers rolled
/// out; a failure puts the old value back everywhere.
/// </summary>
[TaskName(KamonohashiTargets.RotateDatabasePassword)]
[TaskDescription("[--db-password-file=PATH | KUBERUNBOOKS_DB_PASSWORD | prompt]: ALTER ROLE, login check, Secret, consumers rolled out")]
[IsDependentOn(typeof(DatabasePasswordPreflightTask))]
[IsDependentOn(typeof(LockTask))]
[IsDependentOn(typeof(ChangeDatabasePasswordTask))]
[IsDependentOn(typeof(UpdateDatabaseSecretTask))]
public sealed class RotateDatabasePasswordTask : FrostingTask
{
}

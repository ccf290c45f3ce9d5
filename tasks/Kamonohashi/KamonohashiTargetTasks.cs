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

using Cake.Frosting;
using KubeRunbooks.Tasks.Common;

namespace KubeRunbooks.Tasks.Kamonohashi;

// The seed's NFS storage ("NFSの中身をrsyncやバックアップ製品で保護してください"), each read from its dependencies in order.

/// <summary>The storage tree (the NFS export, or the profile's PVC) as tar.gz into a verified backup set, under the lock.</summary>
[TaskName(KamonohashiTargets.StorageBackup)]
[TaskDescription("The KAMONOHASHI storage tree (seed 000: storage's /var/lib/kamonohashi/nfs) as tar.gz into a verified backup set")]
[IsDependentOn(typeof(LockTask))]
[IsDependentOn(typeof(BackupStorageTask))]
public sealed class StorageBackupTask : FrostingTask
{
}

/// <summary>
/// --backup=SET [--delete]: the set verified first, then under the lock the application stopped, the tree restored
/// (what it replaces kept aside) and compared with the set, the application back.
/// </summary>
[TaskName(KamonohashiTargets.StorageRestore)]
[TaskDescription("--backup=SET [--delete]: restores the storage tree from a verified set, what it replaces kept aside, then a listing compare")]
[IsDependentOn(typeof(StorageRestorePreflightTask))]
[IsDependentOn(typeof(LockTask))]
[IsDependentOn(typeof(StopAppForStorageTask))]
[IsDependentOn(typeof(RestoreStorageTreeTask))]
[IsDependentOn(typeof(StartAppAfterStorageTask))]
public sealed class StorageRestoreTask : FrostingTask
{
}

/// <summary>
/// The seed's <c>deploy-kamonohashi.sh credentials storage</c>: the new MinIO secret key (prompt "Storage Secret Key",
/// a file or a variable, never an argument) into its Secret, MinIO and its consumers rolled out and checked, the old key
/// back everywhere on a failure; the seed's manual step (the key in KAMONOHASHI's storage screen) printed last.
/// </summary>
[TaskName(KamonohashiTargets.RotateStoragePassword)]
[TaskDescription("A new MinIO secret key (--storage-secret-key-file=PATH, KUBERUNBOOKS_STORAGE_SECRET_KEY or a prompt): Secret, rollouts, check; then the manual step")]
[IsDependentOn(typeof(StorageKeyRotationPreflightTask))]
[IsDependentOn(typeof(LockTask))]
[IsDependentOn(typeof(RotateStorageSecretTask))]
[IsDependentOn(typeof(StorageKeyFollowUpTask))]
public sealed class RotateStoragePasswordTask : FrostingTask
{
}

/// <summary>
/// The seed's <c>deploy-kamonohashi.sh credentials all</c>: RotateDatabasePassword's steps, then RotateStoragePassword's,
/// under one lock. Both new values are read and checked before the first change; a failure in the storage part leaves
/// the new database password in place (it already works) and puts the old storage key back, as that target does.
/// </summary>
[TaskName(KamonohashiTargets.RotateCredentials)]
[TaskDescription("Both credentials (database password, then MinIO secret key), each read from its file, variable or prompt; as the two Rotate targets do")]
[IsDependentOn(typeof(DatabasePasswordPreflightTask))]
[IsDependentOn(typeof(StorageKeyRotationPreflightTask))]
[IsDependentOn(typeof(LockTask))]
[IsDependentOn(typeof(ChangeDatabasePasswordTask))]
[IsDependentOn(typeof(UpdateDatabaseSecretTask))]
[IsDependentOn(typeof(RotateStorageSecretTask))]
[IsDependentOn(typeof(StorageKeyFollowUpTask))]
public sealed class RotateCredentialsTask : FrostingTask
{
}

using Cake.Frosting;
using KubeRunbooks.Tasks.Common;

namespace KubeRunbooks.Tasks.Exastro;

// The Exastro procedures of seed 001 (データバックアップ・リストア), each read from its dependencies in order.

/// <summary>
/// The seed's バックアップ: encryption key first, then the services stopped (reverse proxy, backyard), the maintenance
/// pod, the database dumps and the storage archive; a failing step deletes the pod and starts the services again.
/// </summary>
[TaskName(ExastroTargets.Backup)]
[TaskDescription("Exastro backup (seed 001): encryption key, stop, maintenance pod, mysqldumps, storage tar, pod deleted, services back")]
[IsDependentOn(typeof(ExportExastroEncryptionKeyTask))]
[IsDependentOn(typeof(LockTask))]
[IsDependentOn(typeof(StopExastroTask))]
[IsDependentOn(typeof(StartMaintenancePodTask))]
[IsDependentOn(typeof(DumpExastroDatabasesTask))]
[IsDependentOn(typeof(ArchiveExastroStorageTask))]
[IsDependentOn(typeof(DeleteMaintenancePodTask))]
[IsDependentOn(typeof(StartExastroTask))]
[IsDependentOn(typeof(CompleteExastroBackupTask))]
public sealed class ExastroBackupTask : FrostingTask
{
}

using Cake.Frosting;
using KubeRunbooks.Tasks.Common;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>
/// The seed's リストア: the set verified before anything stops, then the services stopped, the maintenance pod, the
/// users and databases (DEFINER stripped), the storage, the encryption key; a failing step names its file, deletes the
/// pod and starts the services again.
/// </summary>
[TaskName(ExastroTargets.Restore)]
[TaskDescription("--backup=SET: Exastro restore (seed 001): verify, stop, maintenance pod, users then databases, storage, encryption key, services back")]
[IsDependentOn(typeof(CheckExastroBackupSetTask))]
[IsDependentOn(typeof(LockTask))]
[IsDependentOn(typeof(StopExastroTask))]
[IsDependentOn(typeof(StartMaintenancePodTask))]
[IsDependentOn(typeof(RestoreExastroDatabasesTask))]
[IsDependentOn(typeof(RestoreExastroStorageTask))]
[IsDependentOn(typeof(RestoreExastroEncryptionKeyTask))]
[IsDependentOn(typeof(DeleteMaintenancePodTask))]
[IsDependentOn(typeof(StartExastroTask))]
public sealed class ExastroRestoreTask : FrostingTask
{
}

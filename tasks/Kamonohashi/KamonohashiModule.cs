using KubeRunbooks.Runbooks.Plans;
using KubeRunbooks.Runbooks.Products;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>KAMONOHASHI (seed 000): its profile section and the plans of its targets.</summary>
public sealed class KamonohashiModule : ProductModule<KamonohashiSettings>
{
    /// <inheritdoc />
    public override IEnumerable<RunbookPlanFactory> Plans =>
    [
        RunbookPlanFactory.For(KamonohashiTargets.SetBackupSchedule, BackupSchedulePlan.BuildAsync),
        RunbookPlanFactory.For(KamonohashiTargets.StorageBackup, StorageBackupPlan.BuildAsync),
        RunbookPlanFactory.For(KamonohashiTargets.StorageRestore, StorageRestorePlan.BuildAsync),
        RunbookPlanFactory.For(KamonohashiTargets.RotateStoragePassword, StorageKeyRotationPlan.BuildAsync),
        RunbookPlanFactory.For(KamonohashiTargets.PostgresBackup, PostgresBackupPlan.BuildAsync),
        RunbookPlanFactory.For(KamonohashiTargets.PostgresRestore, PostgresRestorePlan.BuildAsync),
        RunbookPlanFactory.For(KamonohashiTargets.RotateDatabasePassword, DatabasePasswordPlan.BuildAsync),
        RunbookPlanFactory.For(KamonohashiTargets.RotateCredentials, CredentialsRotationPlan.BuildAsync),
    ];
}

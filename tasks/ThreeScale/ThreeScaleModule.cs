using KubeRunbooks.Runbooks.Plans;
using KubeRunbooks.Runbooks.Products;

namespace KubeRunbooks.Tasks.ThreeScale;

/// <summary>Red Hat 3scale (seed 004): its profile section and the plans of ThreeScaleBackup and ThreeScaleRestore.</summary>
public sealed class ThreeScaleModule : ProductModule<ThreeScaleSettings>
{
    /// <inheritdoc />
    public override IEnumerable<RunbookPlanFactory> Plans =>
    [
        RunbookPlanFactory.For(ThreeScaleTargets.Backup, ThreeScaleBackupPlan.BuildAsync),
        RunbookPlanFactory.For(ThreeScaleTargets.Restore, ThreeScaleRestorePlan.BuildAsync),
    ];
}

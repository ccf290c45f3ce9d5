using KubeRunbooks.Runbooks.Plans;
using KubeRunbooks.Runbooks.Products;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>Exastro IT Automation (seed 001): its profile section and the plans of its backup and restore.</summary>
public sealed class ExastroModule : ProductModule<ExastroSettings>
{
    /// <inheritdoc />
    public override IEnumerable<RunbookPlanFactory> Plans =>
    [
        RunbookPlanFactory.For(ExastroTargets.Backup, ExastroBackupPlan.BuildAsync),
        RunbookPlanFactory.For(ExastroTargets.Restore, ExastroRestorePlan.BuildAsync),
    ];
}

using KubeRunbooks.Clusters;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Runbooks.Plans;
using KubeRunbooks.Runbooks.Products;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>
/// Vantiq (seed 002): the <c>vantiq</c> profile section, the plan of each target, and its ClusterInfo lines (the
/// running version and what the runbooks recorded on the cluster).
/// </summary>
public sealed class VantiqModule : ProductModule<VantiqSettings>
{
    /// <inheritdoc />
    public override IEnumerable<RunbookPlanFactory> Plans =>
    [
        RunbookPlanFactory.For(VantiqTargets.UpgradeMinor, UpgradeMinorPlan.BuildAsync),
        RunbookPlanFactory.For(VantiqTargets.RollbackMinor, RollbackMinorPlan.BuildAsync),
        RunbookPlanFactory.For(VantiqTargets.UpgradePatch, UpgradePatchPlan.BuildAsync),
        RunbookPlanFactory.For(VantiqTargets.RollbackPatch, RollbackPatchPlan.BuildAsync),
        RunbookPlanFactory.For(VantiqTargets.MongoBackup, MongoBackupPlan.BuildAsync),
        RunbookPlanFactory.For(VantiqTargets.MongoRestore, MongoRestorePlan.BuildAsync),
    ];

    /// <inheritdoc />
    public override async Task<IReadOnlyList<(string Key, string Value)>> ClusterInfoAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        if (context.Profile.Product<VantiqSettings>() is not { } vantiq) return [];
        var server = vantiq.Server.In(vantiq.Namespace);
        var state = await new WorkloadOperations(context.Kubernetes).TryGetAsync(server, cancellationToken);
        if (state is null) return [];
        var facts = new List<(string, string)>();
        if (VersionContainer.Find(state, vantiq.Server.Name, vantiq.ImageRepository)?.Image is { Length: > 0 } image)
            facts.Add(("Vantiq version", ImageReference.Parse(image).Tag ?? "(no tag)"));
        if (OperationLedger.From(state.Annotations, server) is { } operation) facts.Add(("Vantiq unfinished operation", operation.Describe()));
        if (state.Annotations.TryGetValue(AnnotationStore.BackupId, out var backup)) facts.Add(("Vantiq upgrade backup", backup));
        if (state.Annotations.TryGetValue(AnnotationStore.PreviousImage, out var previous)) facts.Add(("Vantiq previous image", previous));
        return facts;
    }
}

using KubeRunbooks.Runbooks;
using KubeRunbooks.Versions;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>UpgradePatch: a patch bump by rolling update; the replaced image is kept for the rollback.</summary>
public sealed record UpgradePatchPlan : VantiqPlan
{
    /// <inheritdoc />
    public override bool RecordsPreviousImage => true;

    /// <inheritdoc />
    public override string RerunCommand => RunbookCommand.Text(Target, Cluster, ("to", To?.ToString()));

    /// <summary>Validates <c>--to</c>: a patch bump from the running or recorded version.</summary>
    public static async Task<UpgradePatchPlan> BuildAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        var (install, ledger) = await ReadAsync(context, VantiqTargets.UpgradePatch, mayReplace: false, cancellationToken).ConfigureAwait(false);
        var to = RequireTo(context);
        var (from, fromImage) = Origin(install, ledger.Resumed);
        new UpgradeRules().RequirePatchUpgrade(from, to);
        return new UpgradePatchPlan { Install = install, Target = VantiqTargets.UpgradePatch, Ledger = ledger, From = from, To = to, FromImage = fromImage };
    }
}

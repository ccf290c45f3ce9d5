using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;
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
        return For(install, ledger, context.Argument("to"));
    }

    /// <summary>The plan for an install as read (in memory): <paramref name="to"/> must be a patch bump from the running version, or from the recorded one when resuming.</summary>
    /// <exception cref="KubeRunbooks.Errors.InvalidInputException"><paramref name="to"/> is missing or not a patch bump.</exception>
    public static UpgradePatchPlan For(VantiqInstall install, LedgerDecision ledger, string? to)
    {
        ArgumentNullException.ThrowIfNull(install);
        ArgumentNullException.ThrowIfNull(ledger);
        var version = RequireTo(to);
        var (from, fromImage) = Origin(install, ledger.Resumed);
        new UpgradeRules().RequirePatchUpgrade(from, version);
        return new UpgradePatchPlan { Install = install, Target = VantiqTargets.UpgradePatch, Ledger = ledger, From = from, To = version, FromImage = fromImage };
    }
}

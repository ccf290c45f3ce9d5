using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Versions;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>UpgradeMinor: a minor bump with downtime; its backup belongs to the operation; the replaced image is kept for the rollback.</summary>
public sealed record UpgradeMinorPlan : VantiqPlan
{
    /// <inheritdoc />
    public override bool StopsVantiq => true;

    /// <inheritdoc />
    public override bool RecordsPreviousImage => true;

    /// <inheritdoc />
    public override bool BackupBelongsToOperation => true;

    /// <inheritdoc />
    public override string BackupJobSuffix => "upgrade";

    /// <inheritdoc />
    public override string RerunCommand => RunbookCommand.Text(Target, Cluster, ("to", To?.ToString()));

    /// <summary>Validates <c>--to</c> (a minor bump from the running or recorded version) and the backup CronJob.</summary>
    public static async Task<UpgradeMinorPlan> BuildAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        var (install, ledger) = await ReadAsync(context, VantiqTargets.UpgradeMinor, mayReplace: false, cancellationToken).ConfigureAwait(false);
        var plan = For(install, ledger, context.Argument("to"));
        await install.RequireCronJobAsync(context.Kubernetes, cancellationToken).ConfigureAwait(false);
        return plan;
    }

    /// <summary>The plan for an install as read (in memory): <paramref name="to"/> must be a minor bump from the running version, or from the recorded one when resuming.</summary>
    /// <exception cref="KubeRunbooks.Errors.InvalidInputException"><paramref name="to"/> is missing or not a minor bump.</exception>
    public static UpgradeMinorPlan For(VantiqInstall install, LedgerDecision ledger, string? to)
    {
        ArgumentNullException.ThrowIfNull(install);
        ArgumentNullException.ThrowIfNull(ledger);
        var version = RequireTo(to);
        var (from, fromImage) = Origin(install, ledger.Resumed);
        new UpgradeRules().RequireMinorUpgrade(from, version);
        return new UpgradeMinorPlan { Install = install, Target = VantiqTargets.UpgradeMinor, Ledger = ledger, From = from, To = version, FromImage = fromImage };
    }
}

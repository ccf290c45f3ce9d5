using KubeRunbooks.Errors;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>RollbackPatch: back to an earlier patch of the same minor by rolling update; runs beside an unfinished upgrade and uses up the previous image record.</summary>
public sealed record RollbackPatchPlan : VantiqPlan
{
    /// <inheritdoc />
    public override bool UsesUpPreviousImage => true;

    /// <summary>Decides the version to return to (recorded, or <c>--to</c>): an earlier patch of the running minor.</summary>
    public static async Task<RollbackPatchPlan> BuildAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        var (install, ledger) = await ReadAsync(context, VantiqTargets.RollbackPatch, mayReplace: true, cancellationToken).ConfigureAwait(false);
        return For(install, ledger, context.Argument("to"));
    }

    /// <summary>The plan for an install as read (in memory): the version is <paramref name="to"/>, else the recorded image's; it must be an earlier patch of the running minor.</summary>
    /// <exception cref="InvalidInputException">No version is known, or it is not an earlier patch of the running minor.</exception>
    public static RollbackPatchPlan For(VantiqInstall install, LedgerDecision ledger, string? to)
    {
        ArgumentNullException.ThrowIfNull(install);
        ArgumentNullException.ThrowIfNull(ledger);
        var (back, _) = RollbackSource(install, ledger, withRecordedBackup: false);
        var version = RollbackVersion(to, install.Server, back);
        var current = install.CurrentVersion;
        if (version.Major != current.Major || version.Minor != current.Minor || version >= current)
            throw new InvalidInputException($"{version} is not an earlier patch of the running {current}: use --target={VantiqTargets.RollbackMinor} to return to another minor version.");
        return new RollbackPatchPlan { Install = install, Target = VantiqTargets.RollbackPatch, Ledger = ledger, From = current, To = version, FromImage = install.CurrentImage };
    }
}

using KubeRunbooks.Errors;
using KubeRunbooks.Runbooks;

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
        var (back, _) = RollbackSource(install, ledger, withRecordedBackup: false);
        var to = RollbackVersion(context, install.Server, back);
        var current = install.CurrentVersion;
        if (to.Major != current.Major || to.Minor != current.Minor || to >= current)
            throw new InvalidInputException($"{to} is not an earlier patch of the running {current}: use --target={VantiqTargets.RollbackMinor} to return to another minor version.");
        return new RollbackPatchPlan { Install = install, Target = VantiqTargets.RollbackPatch, Ledger = ledger, From = current, To = to, FromImage = install.CurrentImage };
    }
}

using KubeRunbooks.Errors;

namespace KubeRunbooks.Versions;

/// <summary>
/// The checks a version-changing runbook makes before any mutation: each refusal is an
/// <see cref="InvalidInputException"/> whose one line names the change and the right target.
/// Target names are arguments so the rules stay product-neutral.
/// </summary>
/// <param name="MinorTarget">The target that performs minor upgrades (for example <c>UpgradeMinor</c>).</param>
/// <param name="PatchTarget">The target that performs patch upgrades (for example <c>UpgradePatch</c>).</param>
/// <param name="MinorRollbackTarget">The target that returns to an earlier minor version (for example <c>RollbackMinor</c>).</param>
/// <param name="PatchRollbackTarget">The target that returns to an earlier patch version (for example <c>RollbackPatch</c>).</param>
public sealed record UpgradeRules(
    string MinorTarget = "UpgradeMinor",
    string PatchTarget = "UpgradePatch",
    string MinorRollbackTarget = "RollbackMinor",
    string PatchRollbackTarget = "RollbackPatch")
{
    /// <summary>Accepts only a minor upgrade (same major, higher minor); otherwise raises naming the right target.</summary>
    /// <param name="current">The version running now.</param>
    /// <param name="target">The version asked for.</param>
    /// <returns>The change, always <see cref="VersionChange.MinorUpgrade"/>.</returns>
    public VersionChange RequireMinorUpgrade(ProductVersion current, ProductVersion target)
    {
        var change = VersionChangeClassifier.Classify(current, target);
        if (change == VersionChange.MinorUpgrade) return change;
        throw new InvalidInputException(Describe(current, target, change));
    }

    /// <summary>Accepts only a patch upgrade (same major and minor, higher patch); otherwise raises naming the right target.</summary>
    /// <param name="current">The version running now.</param>
    /// <param name="target">The version asked for.</param>
    /// <returns>The change, always <see cref="VersionChange.PatchUpgrade"/>.</returns>
    public VersionChange RequirePatchUpgrade(ProductVersion current, ProductVersion target)
    {
        var change = VersionChangeClassifier.Classify(current, target);
        if (change == VersionChange.PatchUpgrade) return change;
        throw new InvalidInputException(Describe(current, target, change));
    }

    /// <summary>One line saying what the change is and which target to use instead.</summary>
    /// <param name="current">The version running now.</param>
    /// <param name="target">The version asked for.</param>
    /// <param name="change">The classified change.</param>
    /// <returns>The message shown to the operator.</returns>
    public string Describe(ProductVersion current, ProductVersion target, VersionChange change) => change switch
    {
        VersionChange.Same => $"{target} is already the current version: nothing to upgrade.",
        VersionChange.PatchUpgrade => $"{target} is a patch upgrade from {current}: use --target={PatchTarget}.",
        VersionChange.MinorUpgrade => $"{target} is a minor upgrade from {current}: use --target={MinorTarget}.",
        VersionChange.Downgrade => target.Major == current.Major && target.Minor == current.Minor
            ? $"{target} is a downgrade from {current}: use --target={PatchRollbackTarget} to return to the previous patch version."
            : $"{target} is a downgrade from {current}: use --target={MinorRollbackTarget} to return to the previous version.",
        VersionChange.MajorUpgrade => $"{target} is a major upgrade from {current}: no runbook performs major upgrades.",
        _ => throw new ArgumentOutOfRangeException(nameof(change), change, null),
    };
}

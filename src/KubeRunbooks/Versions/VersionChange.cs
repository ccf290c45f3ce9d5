namespace KubeRunbooks.Versions;

/// <summary>What moving from one version to another is.</summary>
public enum VersionChange
{
    /// <summary>Both versions are equal.</summary>
    Same,

    /// <summary>Same major and minor, higher patch.</summary>
    PatchUpgrade,

    /// <summary>Same major, higher minor.</summary>
    MinorUpgrade,

    /// <summary>The target is earlier than the current version.</summary>
    Downgrade,

    /// <summary>The target has a higher major number.</summary>
    MajorUpgrade,
}

/// <summary>Classifies a version change.</summary>
public static class VersionChangeClassifier
{
    /// <summary>Classifies moving from <paramref name="current"/> to <paramref name="target"/>.</summary>
    /// <param name="current">The version running now.</param>
    /// <param name="target">The version asked for.</param>
    /// <returns>The kind of change.</returns>
    public static VersionChange Classify(ProductVersion current, ProductVersion target)
    {
        if (target == current) return VersionChange.Same;
        if (target < current) return VersionChange.Downgrade;
        if (target.Major != current.Major) return VersionChange.MajorUpgrade;
        return target.Minor != current.Minor ? VersionChange.MinorUpgrade : VersionChange.PatchUpgrade;
    }
}

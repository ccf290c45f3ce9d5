using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeRunbooks.Kubernetes.ClusterInfo;

/// <summary>A Kubernetes version as <c>/version</c> and <c>kubectl version</c> report it.</summary>
/// <param name="Major">The major version (1).</param>
/// <param name="Minor">The minor version (e.g. 32).</param>
/// <param name="GitVersion">The full version text, e.g. <c>v1.32.3</c> or <c>v1.28.9-gke.1000</c>.</param>
public sealed partial record KubeVersion(int Major, int Minor, string GitVersion)
{
    /// <summary>The most minor versions kubectl may be from the server (Kubernetes' skew policy, and the seed's check).</summary>
    public const int AllowedMinorSkew = 1;

    /// <summary>
    /// Reads the <c>major</c> / <c>minor</c> fields (which some providers suffix, e.g. <c>28+</c>), falling back
    /// to <c>gitVersion</c>. Returns <c>null</c> when neither gives numbers.
    /// </summary>
    public static KubeVersion? From(string? major, string? minor, string? gitVersion)
    {
        if (Leading(major) is { } ma && Leading(minor) is { } mi)
        {
            return new KubeVersion(ma, mi, gitVersion ?? $"v{ma}.{mi}");
        }

        var match = gitVersion is null ? null : GitPattern().Match(gitVersion);
        return match is { Success: true }
            ? new KubeVersion(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), gitVersion!)
            : null;
    }

    /// <summary>How many minor versions separate this from <paramref name="other"/>; <c>null</c> when the majors differ.</summary>
    public int? MinorDistance(KubeVersion other) => Major == other.Major ? Math.Abs(Minor - other.Minor) : null;

    /// <inheritdoc />
    public override string ToString() => GitVersion;

    private static int? Leading(string? text)
    {
        var match = text is null ? null : LeadingDigits().Match(text);
        return match is { Success: true } ? int.Parse(match.Value, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"^\d+")]
    private static partial Regex LeadingDigits();

    [GeneratedRegex(@"^v?(\d+)\.(\d+)")]
    private static partial Regex GitPattern();
}

using System.Globalization;
using KubeRunbooks.Errors;

namespace KubeRunbooks.Versions;

/// <summary>
/// A product version as the runbooks write it: <c>MAJOR.MINOR.PATCH</c> (for example <c>1.30.10</c>),
/// compared numerically, so <c>1.30.10</c> is later than <c>1.30.9</c>.
/// </summary>
/// <param name="Major">The major number.</param>
/// <param name="Minor">The minor number.</param>
/// <param name="Patch">The patch number.</param>
public readonly record struct ProductVersion(int Major, int Minor, int Patch) : IComparable<ProductVersion>
{
    /// <summary>Parses <c>MAJOR.MINOR.PATCH</c>; a leading <c>v</c> is accepted because image tags often carry one.</summary>
    /// <param name="text">The version text.</param>
    /// <param name="version">The parsed version when the text is valid.</param>
    /// <returns>True when the text is a valid version.</returns>
    public static bool TryParse(string? text, out ProductVersion version)
    {
        version = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var trimmed = text.Trim();
        if (trimmed.StartsWith('v') || trimmed.StartsWith('V')) trimmed = trimmed[1..];
        var parts = trimmed.Split('.');
        if (parts.Length != 3) return false;
        var numbers = new int[3];
        for (var i = 0; i < 3; i++)
        {
            // NumberStyles.None rejects signs, spaces and exponents: "1.-2.3" is not a version.
            if (parts[i].Length == 0 || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
                return false;
        }
        version = new ProductVersion(numbers[0], numbers[1], numbers[2]);
        return true;
    }

    /// <summary>Parses <c>MAJOR.MINOR.PATCH</c> or raises <see cref="InvalidInputException"/> with one line naming the bad value.</summary>
    /// <param name="text">The version text.</param>
    /// <param name="what">What the value is, for the message (for example <c>--to</c>).</param>
    /// <returns>The parsed version.</returns>
    public static ProductVersion Parse(string? text, string what = "version")
    {
        if (TryParse(text, out var version)) return version;
        throw new InvalidInputException($"{what} '{text}' is not a version of the form MAJOR.MINOR.PATCH (for example 1.30.10).");
    }

    /// <inheritdoc />
    public int CompareTo(ProductVersion other)
    {
        var byMajor = Major.CompareTo(other.Major);
        if (byMajor != 0) return byMajor;
        var byMinor = Minor.CompareTo(other.Minor);
        return byMinor != 0 ? byMinor : Patch.CompareTo(other.Patch);
    }

    /// <summary>True when <paramref name="left"/> is earlier than <paramref name="right"/>.</summary>
    public static bool operator <(ProductVersion left, ProductVersion right) => left.CompareTo(right) < 0;

    /// <summary>True when <paramref name="left"/> is later than <paramref name="right"/>.</summary>
    public static bool operator >(ProductVersion left, ProductVersion right) => left.CompareTo(right) > 0;

    /// <summary>True when <paramref name="left"/> is earlier than or equal to <paramref name="right"/>.</summary>
    public static bool operator <=(ProductVersion left, ProductVersion right) => left.CompareTo(right) <= 0;

    /// <summary>True when <paramref name="left"/> is later than or equal to <paramref name="right"/>.</summary>
    public static bool operator >=(ProductVersion left, ProductVersion right) => left.CompareTo(right) >= 0;

    /// <summary>The version as <c>MAJOR.MINOR.PATCH</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}");
}

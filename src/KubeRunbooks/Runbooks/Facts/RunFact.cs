using System.Globalization;

namespace KubeRunbooks.Runbooks.Facts;

/// <summary>A fact a run records for the report and for its later steps, with its report key and its text form.</summary>
/// <typeparam name="T">The fact's value type.</typeparam>
/// <param name="Key">The key in <c>report.json</c>'s facts.</param>
/// <param name="Format">The report text of a value (invariant <c>ToString</c> when null).</param>
public sealed record RunFact<T>(string Key, Func<T, string>? Format = null)
{
    /// <summary>The report text of <paramref name="value"/>.</summary>
    public string Text(T value) => Format is not null ? Format(value) : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
}

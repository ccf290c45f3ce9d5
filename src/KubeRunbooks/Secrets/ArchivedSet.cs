namespace KubeRunbooks.Secrets;

/// <summary>A set of files moved aside under one dated suffix (<c>yyyyMMdd</c> or <c>yyyyMMdd.N</c>).</summary>
/// <param name="Suffix">The suffix, e.g. <c>20261206</c> or <c>20261206.1</c>.</param>
/// <param name="Date">The date of the suffix.</param>
/// <param name="Sequence">0 for <c>yyyyMMdd</c>, N for <c>yyyyMMdd.N</c>.</param>
/// <param name="Names">The file names of the set (without the suffix).</param>
public sealed record ArchivedSet(string Suffix, DateOnly Date, int Sequence, IReadOnlyList<string> Names)
{
    /// <summary>"fullchain.crt.20261206, private.key.20261206".</summary>
    public string Describe() => string.Join(", ", Names.Select(n => $"{n}.{Suffix}"));

    /// <summary>The set of <paramref name="names"/> under <paramref name="suffix"/> (<c>yyyyMMdd</c> or <c>yyyyMMdd.N</c>, already checked).</summary>
    public static ArchivedSet FromSuffix(string suffix, IReadOnlyList<string> names)
    {
        var date = DateOnly.ParseExact(suffix[..8], "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var sequence = suffix.Length > 9 ? int.Parse(suffix[9..], System.Globalization.CultureInfo.InvariantCulture) : 0;
        return new ArchivedSet(suffix, date, sequence, names);
    }
}

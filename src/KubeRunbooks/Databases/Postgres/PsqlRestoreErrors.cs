namespace KubeRunbooks.Databases.Postgres;

/// <summary>
/// Sorts the <c>ERROR:</c> lines of <c>psql -f</c> fed a <c>pg_dumpall</c> file: restored into a fresh server, the dump's
/// <c>CREATE ROLE</c> of the superuser psql connects as always fails (pg_dumpall writes it so the role's attributes
/// follow in <c>ALTER ROLE</c>, which succeeds); any other error means data or a definition was not restored.
/// </summary>
public static class PsqlRestoreErrors
{
    /// <summary>Splits <paramref name="errors"/> into the expected ones and the rest.</summary>
    /// <param name="errors">psql's stderr lines that contain <c>ERROR:</c>.</param>
    /// <param name="user">The role psql connected as.</param>
    public static (IReadOnlyList<string> Expected, IReadOnlyList<string> Unexpected) Split(IEnumerable<string> errors, string user)
    {
        var expectedText = $"ERROR:  role \"{user.Replace("\"", "\"\"", StringComparison.Ordinal)}\" already exists";
        var expected = new List<string>();
        var unexpected = new List<string>();
        foreach (var line in errors)
            (line.TrimEnd().EndsWith(expectedText, StringComparison.Ordinal) ? expected : unexpected).Add(line);
        return (expected, unexpected);
    }
}

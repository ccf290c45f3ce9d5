namespace KubeRunbooks.Databases.Postgres;

/// <summary>Quoting for SQL text built by the tool (standard_conforming_strings on, the default since 9.1).</summary>
public static class PostgresSql
{
    /// <summary>A quoted identifier: <c>"name"</c> with inner quotes doubled.</summary>
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A string literal: <c>'text'</c> with inner quotes doubled; refuses a NUL, which no literal can hold.</summary>
    public static string Literal(string text)
    {
        if (text.Contains('\0', StringComparison.Ordinal)) throw new ArgumentException("A PostgreSQL string cannot hold a NUL character.", nameof(text));
        return "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
    }
}

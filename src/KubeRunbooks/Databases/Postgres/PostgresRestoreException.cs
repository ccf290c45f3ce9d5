namespace KubeRunbooks.Databases.Postgres;

/// <summary>A dump was not restored whole: psql failed, its stream broke, or it reported an error the dump should not cause.</summary>
public sealed class PostgresRestoreException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public PostgresRestoreException(string message, Exception? inner = null) : base(message, inner) { }
}

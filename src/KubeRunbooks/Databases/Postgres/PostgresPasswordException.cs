namespace KubeRunbooks.Databases.Postgres;

/// <summary>A role's password could not be changed (the message never holds the value).</summary>
public sealed class PostgresPasswordException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public PostgresPasswordException(string message) : base(message) { }
}

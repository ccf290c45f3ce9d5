namespace KubeRunbooks.Kubernetes.Exec;

/// <summary>A command to run in a pod's container (<c>kubectl exec -i POD -c CONTAINER -- COMMAND</c>).</summary>
/// <param name="Namespace">The namespace.</param>
/// <param name="Pod">The pod name.</param>
/// <param name="Container">The container name.</param>
/// <param name="Command">The command and its arguments; never put secrets here (they land in the API server's audit log): pass them on stdin.</param>
public sealed record ExecRequest(string Namespace, string Pod, string Container, IReadOnlyList<string> Command)
{
    /// <summary>
    /// Environment variables with secret values (<c>PGPASSWORD</c>, <c>MYSQL_PWD</c>, <c>REDISCLI_AUTH</c>) set in the
    /// command's process only: they travel on stdin, never in the exec request's argv (see <see cref="SecretEnvironment"/>).
    /// </summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();

    /// <summary>The command for messages: only the program name, since arguments may hold values that must not be logged.</summary>
    public string Describe() => $"'{(Command.Count > 0 ? Command[0] : "")}' in {Namespace}/{Pod} container {Container}";
}

/// <summary>How an exec ended.</summary>
/// <param name="ExitCode">The process exit code from the error channel's Status.</param>
/// <param name="StdoutBytes">Bytes copied from stdout.</param>
/// <param name="StderrBytes">Bytes copied from stderr.</param>
public sealed record ExecResult(int ExitCode, long StdoutBytes, long StderrBytes);

/// <summary>The exec failed: a non-zero exit (checked runs), no Status with the exit code (stream cut, connection dropped), or a refused request.</summary>
public sealed class ExecFailedException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public ExecFailedException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>Creates the exception for a command that exited with a non-zero code.</summary>
    public ExecFailedException(string message, int exitCode) : base(message) => ExitCode = exitCode;

    /// <summary>The command's exit code when it ran to a non-zero exit; null when no status came.</summary>
    public int? ExitCode { get; }
}

using System.Text;
using KubeRunbooks.Backups;
using KubeRunbooks.Kubernetes.Exec;

namespace KubeRunbooks.Databases.Postgres;

/// <summary>
/// A PostgreSQL server reached by exec into its pod's container with the server's own client programs
/// (<c>pg_dumpall</c>, <c>psql</c>, <c>pg_isready</c>), as <c>kubectl exec … psql</c> does: by the local socket, as
/// <see cref="User"/>. A password, when there is one, travels as <c>PGPASSWORD</c> on stdin (never in argv).
/// </summary>
public sealed class PostgresInPod
{
    private readonly PodExec _exec;
    private readonly string? _password;

    /// <summary>A server in <paramref name="container"/>.</summary>
    /// <param name="exec">Runs commands.</param>
    /// <param name="container">The database's container.</param>
    /// <param name="user">The superuser the commands connect as.</param>
    /// <param name="password">Its password, or null when the local socket trusts it.</param>
    public PostgresInPod(PodExec exec, PodContainer container, string user, string? password)
    {
        _exec = exec;
        Container = container;
        User = user;
        _password = password;
    }

    /// <summary>Where the commands run.</summary>
    public PodContainer Container { get; }

    /// <summary>The superuser the commands connect as.</summary>
    public string User { get; }

    /// <summary><c>pg_dumpall -U USER</c>: every database, role and tablespace as SQL on stdout.</summary>
    public ExecRequest DumpAll() => WithPassword(Container.Exec("pg_dumpall", "-U", User));

    /// <summary>
    /// Waits until the server accepts connections (<c>pg_isready</c> exits 0), asking again with a growing pause:
    /// a fresh server runs initdb before it listens.
    /// </summary>
    /// <exception cref="TimeoutException">Not accepting within <paramref name="timeout"/>.</exception>
    public async Task WaitAcceptingAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        var pause = TimeSpan.FromMilliseconds(100);
        string last = "";
        while (true)
        {
            using var output = new MemoryStream();
            using var errors = new MemoryStream();
            var result = await _exec.RunAsync(Container.Exec("pg_isready", "-U", User, "-d", "postgres"), output, errors, null, cancellationToken).ConfigureAwait(false);
            if (result.ExitCode == 0) return;
            last = (Encoding.UTF8.GetString(output.ToArray()) + Encoding.UTF8.GetString(errors.ToArray())).Trim();
            if (DateTimeOffset.UtcNow + pause > deadline)
                throw new TimeoutException($"PostgreSQL in {Container} did not accept connections within {timeout.TotalSeconds:0} s (pg_isready: {last}).");
            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 2000));
        }
    }

    /// <summary>
    /// Feeds a verified set's <c>pg_dumpall</c> file to <c>psql -f -</c> (the seed's restore) and checks the outcome: the
    /// exit status, and every <c>ERROR:</c> psql reported except the one a cluster dump always causes on a fresh server
    /// (<c>role "USER" already exists</c> for the superuser it connects as).
    /// </summary>
    /// <param name="backups">Streams the file into the exec.</param>
    /// <param name="set">The set, verified.</param>
    /// <param name="fileName">The dump in it.</param>
    /// <param name="stderrLine">Receives psql's stderr lines, or null.</param>
    /// <param name="cancellationToken">Cancels the restore.</param>
    /// <returns>The errors that were expected (for the log).</returns>
    /// <exception cref="PostgresRestoreException">psql exited non-zero, the stream broke, or another error was reported.</exception>
    public async Task<IReadOnlyList<string>> RestoreAsync(PodBackups backups, VerifiedBackupSet set, string fileName, Action<string>? stderrLine = null, CancellationToken cancellationToken = default)
    {
        var errors = new List<string>();
        try
        {
            await backups.RestoreAsync(set, fileName, WithPassword(Container.Exec("psql", "-X", "-q", "-U", User, "-d", "postgres", "-f", "-")), null, line =>
            {
                if (line.Contains("ERROR:", StringComparison.Ordinal)) lock (errors) errors.Add(line);
                stderrLine?.Invoke(line);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ExecFailedException e)
        {
            throw new PostgresRestoreException($"psql -f - in {Container} failed: {e.Message}", e);
        }
        var (expected, unexpected) = PsqlRestoreErrors.Split(errors, User);
        if (unexpected.Count > 0)
            throw new PostgresRestoreException($"psql -f - in {Container} reported {unexpected.Count} error(s) the dump should not cause; the first: {unexpected[0]}");
        return expected;
    }

    /// <summary>Runs SQL given on stdin (<c>psql -v ON_ERROR_STOP=1 -tAq</c>) and returns what it printed.</summary>
    /// <exception cref="ExecFailedException">psql failed (its stderr tail in the message: do not send secrets here, see <see cref="SetPasswordAsync"/>).</exception>
    public async Task<string> QueryAsync(string sql, string database = "postgres", CancellationToken cancellationToken = default)
    {
        using var output = new MemoryStream();
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(sql));
        await _exec.RunCheckedAsync(WithPassword(Container.Exec("psql", "-X", "-v", "ON_ERROR_STOP=1", "-tAq", "-U", User, "-d", database, "-f", "-")), output, input, null, cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    /// <summary>
    /// <c>ALTER ROLE … PASSWORD</c> with the statement on stdin (never in argv) and statement logging off for it; psql's
    /// output is not kept, since an error may quote the statement.
    /// </summary>
    /// <exception cref="PostgresPasswordException">The change failed (exit code only: no output that could hold the value).</exception>
    public async Task SetPasswordAsync(string role, string password, CancellationToken cancellationToken = default)
    {
        var sql = $"SET log_statement = 'none';\nALTER ROLE {PostgresSql.Identifier(role)} WITH PASSWORD {PostgresSql.Literal(password)};\n";
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(sql));
        var result = await _exec.RunAsync(WithPassword(Container.Exec("psql", "-X", "-v", "ON_ERROR_STOP=1", "-q", "-U", User, "-d", "postgres", "-f", "-")),
            Stream.Null, Stream.Null, input, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
            throw new PostgresPasswordException($"Changing the password of role {role} in {Container} failed (psql exited with code {result.ExitCode}; its output is not shown, it may quote the statement).");
    }

    /// <summary>
    /// Logs in over TCP as <paramref name="role"/> with <paramref name="password"/> (<c>psql -h HOST</c>, the way the
    /// application connects, so the server's password check is what answers) and returns null, or why it failed.
    /// </summary>
    public async Task<string?> TryLoginAsync(string host, string role, string password, CancellationToken cancellationToken = default)
    {
        using var output = new MemoryStream();
        using var errors = new MemoryStream();
        var request = Container.Exec("psql", "-X", "-h", host, "-U", role, "-d", "postgres", "-w", "-tAc", "SELECT 1")
            with { Secrets = new Dictionary<string, string> { ["PGPASSWORD"] = password } };
        var result = await _exec.RunAsync(request, output, errors, null, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode == 0 && Encoding.UTF8.GetString(output.ToArray()).Trim() == "1") return null;
        var text = Encoding.UTF8.GetString(errors.ToArray()).Trim().Split('\n').LastOrDefault(l => l.Length > 0) ?? "";
        return $"psql -h {host} -U {role} exited with code {result.ExitCode}{(text.Length > 0 ? ": " + text : "")}";
    }

    private ExecRequest WithPassword(ExecRequest request) =>
        _password is null ? request : request with { Secrets = new Dictionary<string, string> { ["PGPASSWORD"] = _password } };
}

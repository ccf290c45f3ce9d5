namespace KubeRunbooks.Tests.DataPath;

/// <summary>A real PostgreSQL 15 on 127.0.0.1 and an ephemeral port, trust auth, run as the <c>postgres</c> user.</summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly string _folder;

    private PostgresServer(string folder, int port)
    {
        _folder = folder;
        Port = port;
    }

    /// <summary>The TCP port.</summary>
    public int Port { get; }

    /// <summary>What an exec'd client needs to reach it (libpq's variables).</summary>
    public IReadOnlyDictionary<string, string> ClientEnv => new Dictionary<string, string>
    {
        ["PGHOST"] = "127.0.0.1", ["PGPORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["PGUSER"] = "postgres",
    };

    /// <summary>initdb, then start on a free port (retried on a port clash).</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        if (!File.Exists(Path.Combine(Bin, "postgres")))
            throw new InvalidOperationException("PostgreSQL 15 is not installed (test.sh installs it: apt-get install postgresql).");
        var folder = LocalProcess.NewFolder("kr-pg-");
        var data = Path.Combine(folder, "data");
        await LocalProcess.RunAsync("chown", ["postgres:postgres", folder]);
        await LocalProcess.RunAsync(Path.Combine(Bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"], asUser: "postgres");
        for (var attempt = 1; ; attempt++)
        {
            var port = LocalProcess.FreePort();
            try
            {
                await LocalProcess.RunAsync(Path.Combine(Bin, "pg_ctl"),
                    ["-D", data, "-o", $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off", "-l", Path.Combine(folder, "log"), "-w", "start"], asUser: "postgres");
                return new PostgresServer(folder, port);
            }
            catch (InvalidOperationException) when (attempt < 3) { /* the port was taken meanwhile: another */ }
        }
    }

    /// <summary>Runs SQL with psql and returns its unaligned output.</summary>
    public Task<string> QueryAsync(string sql, string database = "postgres") =>
        LocalProcess.RunAsync("psql", ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", database], sql, ClientEnv);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try { await LocalProcess.RunAsync(Path.Combine(Bin, "pg_ctl"), ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "stop"], asUser: "postgres"); }
        catch (InvalidOperationException) { /* already stopped */ }
        Directory.Delete(_folder, recursive: true);
    }
}

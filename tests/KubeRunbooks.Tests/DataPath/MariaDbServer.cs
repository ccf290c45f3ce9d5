using System.Diagnostics;
using System.Globalization;

namespace KubeRunbooks.Tests.DataPath;

/// <summary>A real MariaDB on 127.0.0.1 and an ephemeral port, with a user <c>kr</c> whose password is <see cref="Password"/>.</summary>
public sealed class MariaDbServer : IAsyncDisposable
{
    private readonly string _folder;
    private readonly Process _process;

    private MariaDbServer(string folder, int port, Process process, string password)
    {
        _folder = folder;
        Port = port;
        _process = process;
        Password = password;
    }

    /// <summary>The TCP port.</summary>
    public int Port { get; }

    /// <summary>The password of the user <c>kr</c> (tests check it never leaks).</summary>
    public string Password { get; }

    /// <summary>What an exec'd client needs to reach it, without the password (that goes in MYSQL_PWD as a secret).</summary>
    public IReadOnlyDictionary<string, string> ClientEnv => new Dictionary<string, string>
    {
        ["MYSQL_HOST"] = "127.0.0.1", ["MYSQL_TCP_PORT"] = Port.ToString(CultureInfo.InvariantCulture), ["USER"] = "kr",
    };

    /// <summary>Installs a data folder and starts the server on a free port.</summary>
    public static async Task<MariaDbServer> StartAsync()
    {
        var folder = LocalProcess.NewFolder("kr-maria-");
        var data = Path.Combine(folder, "data");
        await LocalProcess.RunAsync("mariadb-install-db", [$"--datadir={data}", "--user=root", "--auth-root-authentication-method=normal", "--skip-test-db"]);
        var password = "Kr-" + Guid.NewGuid().ToString("N")[..16];
        for (var attempt = 1; ; attempt++)
        {
            var port = LocalProcess.FreePort();
            var info = new ProcessStartInfo("mariadbd") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { $"--datadir={data}", "--user=root", $"--port={port}", "--bind-address=127.0.0.1", $"--socket={folder}/sock",
                         $"--pid-file={folder}/pid", $"--log-error={folder}/err.log", "--skip-log-bin", "--innodb-flush-log-at-trx-commit=0" })
                info.ArgumentList.Add(a);
            var process = Process.Start(info)!;
            try
            {
                await LocalProcess.WaitUntilAsync(async () =>
                {
                    if (process.HasExited) throw new InvalidOperationException($"mariadbd exited {process.ExitCode}");
                    try { await LocalProcess.RunAsync("mysqladmin", [$"--socket={folder}/sock", "-uroot", "ping"]); return true; }
                    catch (InvalidOperationException) { return false; }
                }, TimeSpan.FromSeconds(60), "MariaDB");
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                continue; // the port was taken meanwhile: another
            }
            await LocalProcess.RunAsync("mysql", [$"--socket={folder}/sock", "-uroot"],
                $"CREATE USER 'kr'@'%' IDENTIFIED BY '{password}'; GRANT ALL ON *.* TO 'kr'@'%' WITH GRANT OPTION;");
            return new MariaDbServer(folder, port, process, password);
        }
    }

    /// <summary>Runs SQL as root over the socket and returns the tab-separated output.</summary>
    public Task<string> QueryAsync(string sql) =>
        LocalProcess.RunAsync("mysql", [$"--socket={_folder}/sock", "-uroot", "-N", "-B", "--default-character-set=utf8mb4"], sql);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try { await LocalProcess.RunAsync("mysqladmin", [$"--socket={_folder}/sock", "-uroot", "shutdown"]); }
        catch (InvalidOperationException) { /* already stopped */ }
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}

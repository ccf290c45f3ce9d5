using System.Diagnostics;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Databases;

/// <summary>
/// A real MariaDB server from Debian's packages for one fixture: its own data folder, reached only through its Unix
/// socket (started with --skip-networking, so it takes no port at all), stopped and deleted on dispose.
/// </summary>
public sealed class MariaDbServer : IAsyncDisposable
{
    private readonly Process _server;

    private MariaDbServer(string folder, Process server)
    {
        Folder = folder;
        _server = server;
    }

    /// <summary>The server's folder (data, socket, log).</summary>
    public string Folder { get; }

    /// <summary>The Unix socket clients connect to.</summary>
    public string Socket => Path.Combine(Folder, "sock");

    /// <summary>Initialises a data folder and starts the server; returns once it answers.</summary>
    public static async Task<MariaDbServer> StartAsync()
    {
        if (!File.Exists("/usr/sbin/mariadbd")) Assert.Ignore("mariadb-server is not installed (test.sh installs it)");
        var folder = Path.Combine(Path.GetTempPath(), "kr-maria-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(folder);
        var data = Path.Combine(folder, "data");
        var init = await RunAsync("mariadb-install-db", null, $"--datadir={data}", "--user=root", "--auth-root-authentication-method=normal", "--skip-test-db");
        Assert.That(init.ExitCode, Is.EqualTo(0), init.Error);
        var start = new ProcessStartInfo("/usr/sbin/mariadbd") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "--no-defaults", $"--datadir={data}", "--user=root", "--skip-networking", $"--socket={Path.Combine(folder, "sock")}", $"--pid-file={Path.Combine(folder, "pid")}", $"--log-error={Path.Combine(folder, "log")}" })
            start.ArgumentList.Add(a);
        var server = Process.Start(start)!;
        var result = new MariaDbServer(folder, server);
        string Log() => File.Exists(Path.Combine(folder, "log")) ? File.ReadAllText(Path.Combine(folder, "log")) : "no log";
        await Eventually.UntilAsync(async () =>
        {
            if (server.HasExited) Assert.Fail($"mariadbd exited: {Log()}");
            return (await RunAsync("mysqladmin", null, "--no-defaults", $"--socket={result.Socket}", "-uroot", "ping")).ExitCode == 0;
        }, "mariadbd answers ping", TimeSpan.FromSeconds(60), () => Task.FromResult(Log()));
        return result;
    }

    /// <summary>Runs SQL with the <c>mysql</c> client as root; returns its result (tab-separated rows on stdout).</summary>
    public Task<ClientRun> SqlAsync(string sql, string? database = null) =>
        RunAsync("mysql", sql, new[] { "--no-defaults", $"--socket={Socket}", "-uroot", "--batch", "--skip-column-names", "--default-character-set=utf8mb4" }
            .Concat(database is null ? [] : new[] { database }).ToArray());

    /// <summary>Runs SQL and fails the test when the client fails.</summary>
    public async Task<string> QueryAsync(string sql, string? database = null)
    {
        var run = await SqlAsync(sql, database);
        Assert.That(run.ExitCode, Is.EqualTo(0), $"{sql}: {run.Error}");
        return run.Output;
    }

    /// <summary>Feeds a file to the <c>mysql</c> client as root (a restore).</summary>
    public Task<ClientRun> RestoreAsync(string file) =>
        RunAsync("mysql", File.ReadAllText(file), "--no-defaults", $"--socket={Socket}", "-uroot", "--default-character-set=utf8mb4");

    /// <summary>Runs <c>mysqldump</c> as root with the arguments, writing its output to a file.</summary>
    public async Task DumpAsync(string file, params string[] arguments)
    {
        var run = await RunAsync("mysqldump", null, new[] { "--no-defaults", $"--socket={Socket}", "-uroot" }.Concat(arguments).ToArray());
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
        await File.WriteAllTextAsync(file, run.Output);
    }

    private static async Task<ClientRun> RunAsync(string program, string? input, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null) await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return new ClientRun(process.ExitCode, await output, await error);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await RunAsync("mysqladmin", null, "--no-defaults", $"--socket={Socket}", "-uroot", "shutdown");
        if (!_server.WaitForExit(TimeSpan.FromSeconds(30))) _server.Kill(entireProcessTree: true);
        _server.Dispose();
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }
}

/// <summary>What a client program printed and returned.</summary>
public sealed record ClientRun(int ExitCode, string Output, string Error);

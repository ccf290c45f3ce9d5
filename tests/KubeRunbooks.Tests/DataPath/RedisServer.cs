using System.Diagnostics;
using System.Globalization;

namespace KubeRunbooks.Tests.DataPath;

/// <summary>A real Redis on 127.0.0.1 and an ephemeral port, with a password (<c>requirepass</c>), its data in its own folder.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;

    private RedisServer(string folder, int port, Process process, string password)
    {
        Folder = folder;
        Port = port;
        _process = process;
        Password = password;
    }

    /// <summary>The data folder (where <c>dump.rdb</c> is read at start).</summary>
    public string Folder { get; }

    /// <summary>The TCP port.</summary>
    public int Port { get; }

    /// <summary>The password (tests check it never leaks).</summary>
    public string Password { get; }

    /// <summary>
    /// Starts a server on a free port; <paramref name="rdb"/>, when given, is its starting data; its data folder is
    /// <paramref name="folder"/> when given (one a pod also sees), else a new one.
    /// </summary>
    public static async Task<RedisServer> StartAsync(string? rdb = null, string? folder = null)
    {
        folder ??= LocalProcess.NewFolder("kr-redis-");
        if (rdb is not null) File.Copy(rdb, Path.Combine(folder, "dump.rdb"));
        var password = "Rd-" + Guid.NewGuid().ToString("N")[..16];
        for (var attempt = 1; ; attempt++)
        {
            var port = LocalProcess.FreePort();
            // The password goes in through stdin as a config file, so it is in no argv here either.
            var info = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add("-");
            var process = Process.Start(info)!;
            await process.StandardInput.WriteAsync($"port {port}\nbind 127.0.0.1\ndir {folder}\nsave \"\"\nappendonly no\nrequirepass {password}\n");
            process.StandardInput.Close();
            _ = process.StandardOutput.ReadToEndAsync();
            var server = new RedisServer(folder, port, process, password);
            try
            {
                await LocalProcess.WaitUntilAsync(async () =>
                {
                    if (process.HasExited) throw new InvalidOperationException($"redis-server exited {process.ExitCode}");
                    try { return (await server.CommandAsync("PING")).Trim() == "PONG"; }
                    catch (InvalidOperationException) { return false; }
                }, TimeSpan.FromSeconds(30), "Redis");
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3) { /* the port was taken meanwhile: another */ }
        }
    }

    /// <summary>Runs one command with redis-cli (password in REDISCLI_AUTH).</summary>
    public Task<string> CommandAsync(params string[] command) => CommandWithStdinAsync(null, command);

    /// <summary>Runs one command whose last argument is <paramref name="lastArgument"/>, sent on stdin (<c>redis-cli -x</c>).</summary>
    public Task<string> CommandWithStdinAsync(string? lastArgument, params string[] command) =>
        LocalProcess.RunAsync("redis-cli", ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), .. lastArgument is null ? command : ["-x", .. command]],
            lastArgument, new Dictionary<string, string> { ["REDISCLI_AUTH"] = Password });

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}

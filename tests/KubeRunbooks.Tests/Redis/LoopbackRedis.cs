using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace KubeRunbooks.Tests.Redis;

/// <summary>
/// A real redis-server (Debian's package) on 127.0.0.1 and a free ephemeral port, its data in its own folder,
/// stopped (SHUTDOWN NOSAVE, then killed) on dispose. Talked to with the real redis-cli.
/// </summary>
public sealed class LoopbackRedis : IDisposable
{
    private readonly Process _process;

    private LoopbackRedis(Process process, int port, string folder, string? password)
    {
        _process = process;
        Port = port;
        Folder = folder;
        Password = password;
    }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>The data folder (<c>dir</c>).</summary>
    public string Folder { get; }

    /// <summary>The password, or null.</summary>
    public string? Password { get; }

    /// <summary>redis-cli arguments that reach it.</summary>
    public IReadOnlyList<string> CliArguments => ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)];

    /// <summary>Starts a server with no automatic saves; with <paramref name="password"/> it requires it.</summary>
    public static LoopbackRedis Start(string folder, string? password = null)
    {
        Directory.CreateDirectory(folder);
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dir", folder,
                         "--save", "", "--appendonly", "no", "--daemonize", "no", "--enable-debug-command", "local" }) start.ArgumentList.Add(a);
            if (password is not null) { start.ArgumentList.Add("--requirepass"); start.ArgumentList.Add(password); }
            var process = Process.Start(start)!;
            var ready = new TaskCompletionSource<bool>();
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null) ready.TrySetResult(false);
                else if (e.Data.Contains("Ready to accept connections", StringComparison.Ordinal)) ready.TrySetResult(true);
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (ready.Task.Wait(TimeSpan.FromSeconds(20)) && ready.Task.Result) return new LoopbackRedis(process, port, folder, password);
            if (!process.HasExited) process.Kill();
            process.Dispose();
            if (attempt == 3) Assert.Fail("redis-server did not start");
        }
    }

    /// <summary>Runs redis-cli against it (password in the environment) and returns stdout.</summary>
    public string Cli(params string[] command)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in CliArguments.Concat(command)) start.ArgumentList.Add(a);
        if (Password is not null) start.Environment["REDISCLI_AUTH"] = Password;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.EqualTo(0), $"redis-cli {string.Join(' ', command)}");
        return output.Trim();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) Cli("SHUTDOWN", "NOSAVE");
        }
        catch (AssertionException)
        {
            // Killed below.
        }
        if (!_process.WaitForExit(5000)) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.DataPath;

/// <summary>Runs the database servers' tools for the fixture (as the <c>postgres</c> user where PostgreSQL needs it).</summary>
internal static class LocalProcess
{
    /// <summary>Runs a command to its end; throws with its output when it fails.</summary>
    public static async Task<string> RunAsync(string program, IEnumerable<string> args, string? stdin = null, IReadOnlyDictionary<string, string>? env = null, string? asUser = null)
    {
        var info = new ProcessStartInfo(asUser is null ? program : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (asUser is not null)
        {
            foreach (var a in new[] { "-u", asUser, "--", program }) info.ArgumentList.Add(a);
        }
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // a hang guard, not a timing assertion
        await process.WaitForExitAsync(guard.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', info.ArgumentList)} exited {process.ExitCode}: {await error}{await output}");
        return await output;
    }

    /// <summary>A loopback port free at this moment (the server binds it next; a clash is retried by the caller).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Waits until <paramref name="ready"/> holds (<see cref="Eventually"/>); fails after <paramref name="limit"/> (a hang guard).</summary>
    public static Task WaitUntilAsync(Func<Task<bool>> ready, TimeSpan limit, string what) =>
        Eventually.UntilAsync(ready, $"{what} is ready", limit);

    /// <summary>A folder under /tmp the <c>postgres</c> user may own.</summary>
    public static string NewFolder(string prefix)
    {
        var folder = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        return folder;
    }
}

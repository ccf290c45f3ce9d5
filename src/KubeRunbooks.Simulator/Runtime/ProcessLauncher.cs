using System.Diagnostics;
using System.Runtime.InteropServices;

namespace KubeRunbooks.Simulator.Runtime;

/// <summary>Starts a container's processes with exactly the container's env, and stops them.</summary>
internal static class ProcessLauncher
{
    private const int SigTerm = 15;

    /// <summary>Starts argv with the given env (nothing inherited) and all three streams redirected.</summary>
    public static Process Start(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> env, string workingDirectory)
    {
        var info = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in argv.Skip(1)) info.ArgumentList.Add(arg);
        info.Environment.Clear();
        foreach (var (key, value) in env) info.Environment[key] = value;
        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {argv[0]}");
    }

    /// <summary>SIGTERM, then after the grace period a kill of the whole process tree.</summary>
    public static async Task StopAsync(Process process, TimeSpan grace)
    {
        try
        {
            if (process.HasExited) return;
            if (grace > TimeSpan.Zero)
            {
                _ = kill(process.Id, SigTerm);
                using var timeout = new CancellationTokenSource(grace);
                try { await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false); return; }
                catch (OperationCanceledException) { /* grace period over */ }
            }
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { /* already gone */ }
    }

    /// <summary>Kills the process tree now, ignoring a process that is already gone.</summary>
    public static void KillNow(Process process)
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { /* already gone */ }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}

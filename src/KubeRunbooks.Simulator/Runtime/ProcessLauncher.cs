using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace KubeRunbooks.Simulator.Runtime;

/// <summary>Starts a container's processes with exactly the container's env, and stops them as a kubelet does.</summary>
internal static partial class ProcessLauncher
{
    private const int SigKill = 9;

    /// <summary>
    /// Starts argv with the given env (nothing inherited) and all three streams redirected, forked from the
    /// <see cref="LaunchThread"/>.
    /// </summary>
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
        // Forked from the launch thread: a parent-death signal (bwrap --die-with-parent) follows the forking thread's life.
        return LaunchThread.Run(() => Process.Start(info)) ?? throw new InvalidOperationException($"could not start {argv[0]}");
    }

    /// <summary>
    /// Reads the sandbox's init pid that bwrap wrote to <paramref name="infoFile"/> (its <c>child-pid</c>); null when
    /// bwrap ended (it could not set the sandbox up) before writing it.
    /// </summary>
    public static async Task<ProcessIdentity?> SandboxPidAsync(Process process, string infoFile)
    {
        while (true)
        {
            try
            {
                if (ChildPid().Match(await File.ReadAllTextAsync(infoFile).ConfigureAwait(false)) is { Success: true } match)
                    return ProcessIdentity.Of(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
            }
            catch (IOException) { /* not written yet */ }
            if (process.HasExited) return null;
            await Task.Delay(5).ConfigureAwait(false);
        }
    }

    /// <summary>The container's main process once bwrap's init has started it (null when the container ended first).</summary>
    public static async Task<ProcessIdentity?> MainPidAsync(Process process, ProcessIdentity sandboxPid)
    {
        while (!process.HasExited)
        {
            if (MainPidOf(sandboxPid) is { } main) return main;
            await Task.Delay(5).ConfigureAwait(false);
        }
        return null;
    }

    /// <summary>
    /// Stops a container as a kubelet does: <paramref name="signal"/> (the image's stop signal) to the container's
    /// main process, <paramref name="grace"/> to end, then SIGKILL to the sandbox's init, which ends every process
    /// of the container (its PID namespace), execs included.
    /// </summary>
    public static async Task StopAsync(Process process, ProcessIdentity? sandboxPid, int signal, TimeSpan grace)
    {
        try
        {
            if (process.HasExited) return;
            if (grace > TimeSpan.Zero && sandboxPid is { } init && MainPidOf(init) is { } main)
            {
                Signal(main, signal);
                using var timeout = new CancellationTokenSource(grace);
                try { await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { /* grace period over */ }
            }
            KillNow(process, sandboxPid);
        }
        catch (InvalidOperationException) { /* already gone */ }
    }

    /// <summary>Kills the sandbox (when known) and the process tree now, ignoring what is already gone.</summary>
    public static void KillNow(Process process, ProcessIdentity? sandboxPid = null)
    {
        if (sandboxPid is { } init) Signal(init, SigKill);
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { /* already gone */ }
    }

    /// <summary>The container's main process: the child of the sandbox's init (bwrap's pid 1), while that init runs.</summary>
    public static ProcessIdentity? MainPidOf(ProcessIdentity sandbox)
    {
        if (!sandbox.IsAlive) return null;
        var sandboxPid = sandbox.Pid;
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(folder);
            if (!int.TryParse(name, out var pid)) continue;
            try
            {
                // /proc/PID/stat: "pid (comm) state ppid ...", comm may hold spaces and parentheses.
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == sandboxPid) return ProcessIdentity.Of(pid);
            }
            catch (IOException) { /* the process ended */ }
            catch (UnauthorizedAccessException) { /* not ours */ }
        }
        return null;
    }

    /// <summary>Sends the signal to the process noted, only while its pid still names it.</summary>
    private static void Signal(ProcessIdentity process, int signal)
    {
        if (process.IsAlive) _ = kill(process.Pid, signal);
    }

    [GeneratedRegex("\"child-pid\"\\s*:\\s*(\\d+)")]
    private static partial Regex ChildPid();

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}

using System.Diagnostics;

namespace KubeRunbooks.Simulator.State;

/// <summary>
/// Container processes left by a run that was killed (SIGKILL gives its runtime no chance to stop them). Whoever holds
/// the state folder's lock may end them: no live cluster uses the folder, and a restarted node keeps no container
/// of its earlier life. They are found by their working directory, which the runtime sets to the pod folder under
/// the runtime root (Linux <c>/proc</c>; elsewhere nothing is found).
/// </summary>
public static class StrayContainers
{
    /// <summary>Kills every process of this machine whose working directory is under <paramref name="folder"/>; returns how many.</summary>
    public static int KillUnder(string folder)
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc")) return 0;
        var root = Path.GetFullPath(folder).TrimEnd('/') + "/";
        var killed = 0;
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                var cwd = new DirectoryInfo(Path.Combine(entry, "cwd")).ResolveLinkTarget(returnFinalTarget: false)?.FullName;
                if (cwd is null || !(cwd + "/").StartsWith(root, StringComparison.Ordinal)) continue;
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
                killed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone meanwhile, or not ours to read.
            }
        }
        return killed;
    }
}

using System.Diagnostics;
using System.Globalization;

namespace KubeRunbooks.Kubernetes.Locking;

/// <summary>
/// The holder identity a run writes into the cluster lock: <c>HOST:PID:RUN</c>. Because it names the machine and
/// process, a rerun on the same machine after a crash (or SIGKILL) can tell that the holder is gone and take the
/// lock over at once instead of waiting for the lease to expire.
/// </summary>
public static class RunIdentity
{
    /// <summary>The identity of this process's run.</summary>
    /// <param name="runName">The run's name (its report folder name, e.g. <c>20261202-061500-UpgradeMinor</c>).</param>
    public static string ForThisProcess(string runName) =>
        string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}:{runName}");

    /// <summary>
    /// True when <paramref name="holder"/> names a process of this machine that no longer runs. A holder of another
    /// machine, or in another format, is never judged gone: only its lease expiry frees it.
    /// </summary>
    public static bool IsGoneOnThisMachine(string holder)
    {
        var parts = holder.Split(':', 3);
        if (parts.Length != 3 || !string.Equals(parts[0], Environment.MachineName, StringComparison.Ordinal)) return false;
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) return false;
        if (pid == Environment.ProcessId) return false;
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}

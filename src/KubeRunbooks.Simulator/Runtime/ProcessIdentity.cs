using System.Globalization;

namespace KubeRunbooks.Simulator.Runtime;

/// <summary>
/// A process as the kernel knew it when it was noted: its pid and its start time (field 22 of <c>/proc/PID/stat</c>,
/// clock ticks after boot). A pid alone is not a process: the kernel hands freed pids out again (pid_max is often
/// 32768, which a loaded machine goes through in minutes), so a signal or an <c>nsenter</c> aimed at a pid noted
/// earlier first checks that it still names the same process; otherwise it would reach another container's server.
/// </summary>
internal readonly record struct ProcessIdentity(int Pid, long StartTime)
{
    /// <summary>The process with <paramref name="pid"/> now, or null when there is none.</summary>
    public static ProcessIdentity? Of(int pid)
    {
        try
        {
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields are counted after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return new ProcessIdentity(pid, long.Parse(fields[19], CultureInfo.InvariantCulture)); // field 22 of the line
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>True while the process noted still runs (its pid not ended, nor reused by another process).</summary>
    public bool IsAlive => Of(Pid) is { } now && now.StartTime == StartTime;
}

using System.Diagnostics;

namespace KubeRunbooks.Simulator.Runtime;

/// <summary>
/// Gives a container a user namespace of its own. <c>unshare --user</c> creates it with no ids mapped; the runtime,
/// root on the machine, writes the map (every id to itself) into <c>/proc/PID/uid_map</c> and <c>gid_map</c>, then
/// lets the container go on by a line on its stdin; only then does bwrap set the sandbox up, as root of that namespace.
/// </summary>
/// <remarks>
/// Why this way: bwrap 0.8 maps a single id into a user namespace it makes, and util-linux 2.38's
/// <c>unshare --map-users</c> needs <c>newuidmap</c> and subordinate ids in <c>/etc/subuid</c>. The identity map keeps
/// a file's owner the same inside and outside (a volume written by uid 999 is uid 999's on the machine, as on a node);
/// what the namespace takes away is every capability over the machine's own namespaces (its network, its kernel
/// knobs, its devices), which root in a container holds only in the container's user namespace.
/// </remarks>
internal static class UserNamespace
{
    /// <summary>Every id to itself (the whole 32-bit range but the one id a map cannot hold).</summary>
    public const string IdentityMap = "0 0 4294967295\n";

    /// <summary>The line that lets the gated container go on.</summary>
    private const string Go = "go";

    /// <summary>How long the runtime waits for <c>unshare</c> to have made the namespace.</summary>
    public static readonly TimeSpan UnshareLimit = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The argv prefix that runs the rest of an argv in a new user namespace once the map is written: <c>unshare</c>
    /// makes the namespace, a shell waits for the go line on stdin, then becomes the rest.
    /// </summary>
    public static IReadOnlyList<string> GateArgv { get; } =
    [
        "/usr/bin/unshare", "--user", "--", "/bin/sh", "-c",
        $"read -r line && [ \"$line\" = {Go} ] && exec \"$@\"; echo \"container: its user namespace was not mapped\" >&2; exit 125",
        "user-namespace-gate",
    ];

    /// <summary>
    /// Waits until <paramref name="process"/> (started with <see cref="GateArgv"/>) is in a user namespace other than
    /// this process's, writes the identity map, and lets it go on; its stdin is closed afterwards (containers run
    /// without stdin). Returns false when the process ended or did not unshare in time (it was killed then).
    /// </summary>
    public static async Task<bool> MapAsync(Process process)
    {
        var own = NamespaceOf("self");
        var deadline = DateTimeOffset.UtcNow + UnshareLimit;
        var pid = process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var path = $"/proc/{pid}";
        while (!process.HasExited && NamespaceOf(pid) is var current && (current is null || current == own))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                ProcessLauncher.KillNow(process);
                return false;
            }
            await Task.Delay(2).ConfigureAwait(false); // the kernel offers no wait for another process's unshare
        }
        if (process.HasExited) return false;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(path, "uid_map"), IdentityMap).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(path, "gid_map"), IdentityMap).ConfigureAwait(false);
            await process.StandardInput.WriteLineAsync(Go).ConfigureAwait(false);
            await process.StandardInput.FlushAsync().ConfigureAwait(false);
        }
        catch (IOException) when (process.HasExited)
        {
            return false;
        }
        finally
        {
            process.StandardInput.Close();
        }
        return true;
    }

    private static string? NamespaceOf(string pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/ns/user").LinkTarget; // "user:[INODE]"
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // the process ended
        }
    }
}

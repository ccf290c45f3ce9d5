namespace KubeRunbooks.Simulator.Runtime;

/// <summary>
/// How a container is isolated on this machine: a user namespace of its own (<see cref="UserNamespace"/>), in which
/// <c>bwrap</c> (Debian package <c>bubblewrap</c>) gives it its own mount, PID, IPC and UTS namespaces over a root of
/// its own (<see cref="ContainerRoot"/>), and <c>setpriv</c> switches to the container's user with the capabilities a
/// container runtime grants by default; exec'd processes join the same namespaces through <c>nsenter</c>. The network
/// is the machine's loopback (pods reach one another at their own 127.x addresses, see <see cref="ServiceAddressBook"/>).
/// </summary>
/// <remarks>
/// The user namespace maps every id to itself, so files keep the owners a real cluster gives them; root in a
/// container holds its capabilities only in its own namespaces. One consequence differs from a node: the network is the
/// machine's, so binding a port below 1024 (CAP_NET_BIND_SERVICE over the machine's network) is refused in a pod.
/// </remarks>
internal static class Bubblewrap
{
    /// <summary>The Debian package that provides bwrap.</summary>
    public const string Package = "bubblewrap";

    /// <summary>What a container's root may do: Docker's default capability set, less the network ones.</summary>
    private static readonly string[] Capabilities =
        ["chown", "dac_override", "fowner", "fsetid", "kill", "setgid", "setuid", "setpcap", "net_bind_service", "sys_chroot", "mknod", "audit_write", "setfcap"];

    private static readonly Lazy<string?> Found = new(() => Which("bwrap"));

    /// <summary>The bwrap executable, or null when it is not installed.</summary>
    public static string? Path => Found.Value;

    /// <summary>The message a container shows when bwrap is missing.</summary>
    public static string MissingMessage =>
        $"bwrap is not installed: the simulated kubelet runs containers with bubblewrap (apt-get install -y {Package}; ./test.sh installs it)";

    /// <summary>
    /// The argv that starts a container: a shell that points fd 3 at <paramref name="infoFile"/> (bwrap writes the
    /// sandbox's init pid there) and becomes bwrap, whose command is setpriv, then the container's argv.
    /// </summary>
    public static IReadOnlyList<string> ContainerArgv(ContainerRoot root, string hostname, string workingDirectory,
        IReadOnlyList<(string MountPath, string Local, bool ReadOnly)> mounts, ContainerIdentity identity, IReadOnlyList<string> argv,
        string infoFile)
    {
        // One pipe for stdout and stderr, as a container's log is one stream in the order written: two pipes read by
        // two pumps started after the fork come out in whichever order the pumps run.
        var args = new List<string> { "/bin/sh", "-c", "exec \"$@\" 3>\"$0\" 2>&1", infoFile };
        args.AddRange(UserNamespace.GateArgv);
        args.Add(Path ?? "bwrap");
        args.AddRange(["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--hostname", hostname, "--die-with-parent"]);
        args.AddRange(["--cap-drop", "ALL"]);
        foreach (var cap in Capabilities) args.AddRange(["--cap-add", "CAP_" + cap.ToUpperInvariant()]);
        args.AddRange(root.BindArguments(mounts.Select(m => m.MountPath)));
        args.AddRange(["--dev", "/dev", "--proc", "/proc"]);
        // Root in a container keeps DAC_OVERRIDE: the kernel's knobs stay read-only to it.
        foreach (var knob in new[] { "/proc/sys", "/proc/sysrq-trigger" })
            if (File.Exists(knob) || Directory.Exists(knob)) args.AddRange(["--ro-bind", knob, knob]);
        // Shallow mount paths first, so a volume nested in another lands on top of it.
        foreach (var (mountPath, local, readOnly) in mounts.OrderBy(m => m.MountPath.Count(c => c == '/')).ThenBy(m => m.MountPath, StringComparer.Ordinal))
            args.AddRange([readOnly ? "--ro-bind" : "--bind", local, mountPath]);
        args.AddRange(["--chdir", workingDirectory, "--info-fd", "3"]);
        args.AddRange(Setpriv(identity));
        args.AddRange(argv);
        return args;
    }

    /// <summary>The argv that runs <paramref name="command"/> inside a running container (its namespaces, root, user).</summary>
    /// <remarks>
    /// The target is the container's main process: its root is the container's and its working directory the
    /// container's workingDir (nsenter's <c>--wd=DIR</c> would open DIR on the machine, before entering).
    /// </remarks>
    public static IReadOnlyList<string> ExecArgv(int mainPid, ContainerIdentity identity, IReadOnlyList<string> command)
    {
        var args = new List<string> { "/usr/bin/nsenter", $"--target={mainPid}", "--user", "--mount", "--pid", "--ipc", "--uts", "--root", "--wd" };
        args.AddRange(Setpriv(identity));
        args.AddRange(command);
        return args;
    }

    private static IEnumerable<string> Setpriv(ContainerIdentity identity)
    {
        // Bounding the capabilities also bounds what root regains at each execve.
        var bounding = "--bounding-set=-all," + string.Join(",", Capabilities.Select(c => "+" + c));
        return ["/usr/bin/setpriv", .. identity.SetprivOptions(), bounding, "--"];
    }

    private static string? Which(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        foreach (var folder in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/bin", "/bin"]))
        {
            var candidate = System.IO.Path.Combine(folder, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}

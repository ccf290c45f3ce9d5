using System.Diagnostics;

namespace KubeRunbooks.Simulator.Runtime;

/// <summary>One run of a container: its process, its log and how it ended.</summary>
internal sealed class ContainerRun(string name, bool isInit, ContainerLog log)
{
    /// <summary>The container's name.</summary>
    public string Name { get; } = name;

    /// <summary>True for an init container.</summary>
    public bool IsInit { get; } = isInit;

    /// <summary>Its output.</summary>
    public ContainerLog Log { get; } = log;

    /// <summary>The process (bwrap), once started.</summary>
    public Process? Process { get; set; }

    /// <summary>The sandbox's init process on the machine (pid 1 of the container), whose namespaces exec joins.</summary>
    public ProcessIdentity? SandboxPid { get; set; }

    /// <summary>The container's main process on the machine (pid 2 of the container): exec takes its root and working directory.</summary>
    public ProcessIdentity? MainPid { get; set; }

    /// <summary>The signal that asks the container to stop (the image's stop signal).</summary>
    public int StopSignal { get; set; } = 15;

    /// <summary>The exit code, once ended.</summary>
    public int? ExitCode { get; set; }

    /// <summary>True while the process runs.</summary>
    public bool IsRunning => Process is not null && ExitCode is null;
}

/// <summary>What a container's processes (its own and exec'd ones) run with.</summary>
/// <param name="Argv">The container's command, as the container sees it.</param>
/// <param name="Env">The container's env.</param>
/// <param name="WorkingDirectory">The working directory inside the container.</param>
/// <param name="Identity">The user its processes run as.</param>
/// <param name="Root">Its root filesystem.</param>
/// <param name="Mounts">Its volumes as (mountPath, local folder, read-only).</param>
internal sealed record ContainerContext(
    IReadOnlyList<string> Argv,
    IReadOnlyDictionary<string, string> Env,
    string WorkingDirectory,
    ContainerIdentity Identity,
    ContainerRoot Root,
    IReadOnlyList<(string MountPath, string Local, bool ReadOnly)> Mounts)
{
    /// <summary>Where a path of the container is on the machine (its volumes, the read-only /usr, else its root).</summary>
    public string HostPathOf(string path)
    {
        foreach (var (mountPath, local, _) in Mounts.OrderByDescending(m => m.MountPath.Length))
            if (path == mountPath || path.StartsWith(mountPath + "/", StringComparison.Ordinal)) return local + path[mountPath.Length..];
        foreach (var merged in new[] { "/bin", "/sbin", "/lib", "/lib64" })
            if (path.StartsWith(merged + "/", StringComparison.Ordinal)) return "/usr" + path;
        if (path.StartsWith("/usr/", StringComparison.Ordinal)) return path;
        return Path.Combine(Root.Folder, path.TrimStart('/'));
    }

    /// <summary>True when the container can execute <paramref name="program"/> (a path, or a name on its PATH).</summary>
    public bool CanExecute(string program)
    {
        if (program.Contains('/')) return File.Exists(HostPathOf(program.StartsWith('/') ? program : WorkingDirectory.TrimEnd('/') + "/" + program));
        var path = Env.TryGetValue("PATH", out var p) ? p : "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Any(dir => File.Exists(HostPathOf(dir.TrimEnd('/') + "/" + program)));
    }
}

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

    /// <summary>The process, once started.</summary>
    public Process? Process { get; set; }

    /// <summary>The exit code, once ended.</summary>
    public int? ExitCode { get; set; }

    /// <summary>True while the process runs.</summary>
    public bool IsRunning => Process is not null && ExitCode is null;
}

/// <summary>What a container's processes (its own and exec'd ones) run with.</summary>
internal sealed record ContainerContext(
    IReadOnlyList<string> Argv,
    IReadOnlyDictionary<string, string> Env,
    MountPathRewriter Rewriter,
    string WorkingDirectory);

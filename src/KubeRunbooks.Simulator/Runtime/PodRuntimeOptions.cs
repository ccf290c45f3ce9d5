using KubeRunbooks.Simulator.Faults;

namespace KubeRunbooks.Simulator.Runtime;

/// <summary>How the simulated kubelet (<see cref="ProcessPodRuntime"/>) runs containers on this machine.</summary>
public sealed class PodRuntimeOptions
{
    /// <summary>Folder that holds every pod's working folder, emptyDir and PVC folders.</summary>
    public required string RootFolder { get; init; }

    /// <summary>
    /// Stand-in commands for images, used when a container has no <c>command</c>: keyed by the image
    /// repository without its tag (<c>registry.example/vantiq/mongobackup</c>), or by its last path
    /// segment (<c>mongobackup</c>). The container's args are appended.
    /// </summary>
    public IDictionary<string, IReadOnlyList<string>> ImageCommands { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>hostPath volume paths mapped to local folders; an unmapped path gets <c>ROOT/hostpath/PATH</c>.</summary>
    public IDictionary<string, string> HostPaths { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Failures to inject (forced container exit codes, exec cuts).</summary>
    public FaultPlan Faults { get; init; } = new();

    /// <summary>Bytes of log kept per container run; the oldest lines are dropped beyond it.</summary>
    public int LogCapacityBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>The command of a container that has neither a command nor an image mapping: idles until stopped.</summary>
    public IReadOnlyList<string> IdleCommand { get; init; } = ["sleep", "infinity"];
}

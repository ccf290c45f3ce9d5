namespace KubeRunbooks.Kubernetes.Containers;

/// <summary>How a followed container ended.</summary>
/// <param name="Pod">The pod name.</param>
/// <param name="Container">The container name.</param>
/// <param name="ExitCode">terminated.exitCode.</param>
/// <param name="Reason">terminated.reason (Completed, Error, OOMKilled...), when given.</param>
/// <param name="Tail">The last lines of its log.</param>
public sealed record ContainerExit(string Pod, string Container, int ExitCode, string? Reason, IReadOnlyList<string> Tail)
{
    /// <summary>True when the container exited with code 0.</summary>
    public bool Succeeded => ExitCode == 0;
}

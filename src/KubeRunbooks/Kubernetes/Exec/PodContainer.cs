namespace KubeRunbooks.Kubernetes.Exec;

/// <summary>A container of a pod, where commands run and files are copied.</summary>
/// <param name="Namespace">The namespace.</param>
/// <param name="Pod">The pod name.</param>
/// <param name="Container">The container name.</param>
public sealed record PodContainer(string Namespace, string Pod, string Container)
{
    /// <summary>An exec request for <paramref name="command"/> in this container.</summary>
    public ExecRequest Exec(params IReadOnlyList<string> command) => new(Namespace, Pod, Container, command);

    /// <inheritdoc />
    public override string ToString() => $"{Namespace}/{Pod} container {Container}";
}

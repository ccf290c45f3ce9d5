namespace KubeRunbooks.Kubernetes.Exec;

/// <summary>What a copy of a folder out of a container did locally.</summary>
/// <param name="Files">Regular files written.</param>
/// <param name="Bytes">Bytes of those files.</param>
/// <param name="Deleted">Paths (relative) a mirror deleted because the container's folder did not hold them.</param>
public sealed record FolderCopy(long Files, long Bytes, IReadOnlyList<string> Deleted);

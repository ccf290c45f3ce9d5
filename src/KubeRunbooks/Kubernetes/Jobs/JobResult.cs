namespace KubeRunbooks.Kubernetes.Jobs;

/// <summary>A Job that completed.</summary>
/// <param name="Namespace">The namespace.</param>
/// <param name="JobName">The Job's name (the backup id when it is a backup).</param>
/// <param name="PodName">The pod whose log was followed, or null when none was seen.</param>
/// <param name="Tail">The last lines of that log.</param>
public sealed record JobResult(string Namespace, string JobName, string? PodName, IReadOnlyList<string> Tail);

namespace KubeRunbooks.HostFiles;

/// <summary>
/// What to collect from a host: paths relative to its root, each a file, a folder (taken whole) or a shell
/// glob (<c>etc/sysconfig/docker-*</c>). A pattern that matches nothing is listed as absent; a required one
/// that matches nothing refuses the whole collection.
/// </summary>
/// <param name="Patterns">The patterns, relative to the root, in archive order.</param>
/// <param name="Required">The patterns that must be present (the rest are optional).</param>
public sealed record HostFileSelection(IReadOnlyList<string> Patterns, IReadOnlyList<string> Required);

namespace KubeRunbooks.Clusters.Yaml;

/// <summary>Expands a leading <c>~</c> the way a shell would, since profiles are written by shell users.</summary>
public sealed class PathExpander(string homeDirectory)
{
    /// <summary>The path with <c>~</c> or <c>~/</c> at its start replaced by the home folder; <c>null</c> stays <c>null</c>.</summary>
    public string? Expand(string? path)
    {
        if (path is null)
        {
            return null;
        }

        if (path == "~")
        {
            return homeDirectory;
        }

        return path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal)
            ? Path.Combine(homeDirectory, path[2..])
            : path;
    }
}

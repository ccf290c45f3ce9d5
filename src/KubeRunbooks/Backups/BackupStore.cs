using KubeRunbooks.Errors;

namespace KubeRunbooks.Backups;

/// <summary>The backup folder of a profile: its sets, found by name, the newest good one of a kind.</summary>
public sealed class BackupStore
{
    /// <summary>Over <paramref name="folder"/> (which may not exist yet).</summary>
    public BackupStore(string folder) => Folder = Path.GetFullPath(folder);

    /// <summary>The backup folder.</summary>
    public string Folder { get; }

    /// <summary>Every set folder with its manifest (or why it has none), newest name first.</summary>
    public IReadOnlyList<BackupSetInfo> List()
    {
        if (!Directory.Exists(Folder)) return [];
        return Directory.EnumerateDirectories(Folder)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .Select(d =>
            {
                var manifest = BackupManifest.TryRead(d, out var problem);
                return new BackupSetInfo(d, manifest, problem);
            })
            .OrderByDescending(s => s.Manifest?.Started ?? DateTimeOffset.MinValue)
            .ThenByDescending(s => s.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The newest complete set of <paramref name="kind"/>, or null.</summary>
    public BackupSetInfo? LatestComplete(string kind) =>
        List().FirstOrDefault(s => s.IsComplete && s.Manifest!.Kind == kind);

    /// <summary>
    /// The folder a <c>--backup=SET</c> value names: a set name in this folder, or a path to a set folder.
    /// </summary>
    /// <exception cref="InvalidInputException">No such set (the message lists the sets there are).</exception>
    public string Resolve(string set)
    {
        if (string.IsNullOrWhiteSpace(set)) throw new InvalidInputException("--backup needs a backup set name or folder.");
        var byName = Path.Combine(Folder, set);
        if (set == Path.GetFileName(set) && Directory.Exists(byName)) return byName;
        if (Directory.Exists(set)) return Path.GetFullPath(set);
        var names = List().Select(s => s.Name).Take(10).ToList();
        throw new InvalidInputException($"There is no backup set '{set}' in {Folder}" +
            (names.Count > 0 ? $"; sets there: {string.Join(", ", names)}." : " (it holds no sets)."));
    }
}

namespace KubeRunbooks.Backups.Trees;

/// <summary>
/// What a restore of a tree does to the paths there now, decided from the set's listing and the tree's before
/// anything moves. Nothing is overwritten in place: every file or link the set will write, and every path in the way
/// of a folder it needs, is first moved aside (kept); extras are moved aside only with <c>--delete</c>, else listed.
/// </summary>
/// <param name="MoveAside">Paths moved aside before the extraction, parents before children, none under another.</param>
/// <param name="Identical">Moved paths whose content equals the set's: their aside copy is dropped once the restore is verified.</param>
/// <param name="Extras">Paths the set does not hold (top-most only), left in place without <c>--delete</c>.</param>
/// <param name="Created">Top-most paths the set creates that did not exist, removed again if the restore fails.</param>
public sealed record TreeRestoreDecision(IReadOnlyList<string> MoveAside, IReadOnlySet<string> Identical, IReadOnlyList<string> Extras, IReadOnlyList<string> Created)
{
    /// <summary>Decides the moves.</summary>
    /// <param name="expected">The set's listing.</param>
    /// <param name="current">The tree's listing now.</param>
    /// <param name="delete">Move the paths the set does not hold aside too (mirror).</param>
    public static TreeRestoreDecision Decide(IReadOnlyList<TreeEntry> expected, IReadOnlyList<TreeEntry> current, bool delete)
    {
        var wanted = expected.ToDictionary(e => e.Path, StringComparer.Ordinal);
        var now = current.ToDictionary(e => e.Path, StringComparer.Ordinal);
        var moved = new SortedSet<string>(StringComparer.Ordinal);
        var identical = new HashSet<string>(StringComparer.Ordinal);
        var extras = new List<string>();
        foreach (var entry in current.OrderBy(e => e.Path, StringComparer.Ordinal))
        {
            if (UnderAny(entry.Path, moved) || UnderAny(entry.Path, extras)) continue;
            if (!wanted.TryGetValue(entry.Path, out var target))
            {
                if (delete) moved.Add(entry.Path);
                else extras.Add(entry.Path);
                continue;
            }
            // A folder the set also has as a folder stays (the extraction sets its mode and time); anything else is replaced.
            if (entry.Kind == TreeEntryKind.Directory && target.Kind == TreeEntryKind.Directory) continue;
            moved.Add(entry.Path);
            if (entry.SameAs(target)) identical.Add(entry.Path);
        }
        var created = new List<string>();
        foreach (var entry in expected.OrderBy(e => e.Path, StringComparer.Ordinal))
        {
            if (UnderAny(entry.Path, created)) continue;
            if (!now.ContainsKey(entry.Path) || moved.Contains(entry.Path) && entry.Kind == TreeEntryKind.Directory) created.Add(entry.Path);
        }
        return new TreeRestoreDecision(moved.ToList(), identical, extras, created);
    }

    private static bool UnderAny(string path, IEnumerable<string> folders) =>
        folders.Any(f => path.StartsWith(f + "/", StringComparison.Ordinal));
}

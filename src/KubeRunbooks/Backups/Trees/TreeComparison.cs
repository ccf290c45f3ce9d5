namespace KubeRunbooks.Backups.Trees;

/// <summary>A restored tree checked against its set's listing: every path of the set there with its attributes and content.</summary>
public static class TreeComparison
{
    /// <summary>The differences, one line each (empty: the tree holds the set exactly).</summary>
    /// <param name="expected">The set's listing.</param>
    /// <param name="actual">The tree's listing after the restore.</param>
    /// <param name="allowedExtras">Top-most paths the set does not hold that may stay (extras kept without <c>--delete</c>).</param>
    public static IReadOnlyList<string> Differences(IReadOnlyList<TreeEntry> expected, IReadOnlyList<TreeEntry> actual, IReadOnlyCollection<string> allowedExtras)
    {
        var there = actual.ToDictionary(e => e.Path, StringComparer.Ordinal);
        var wanted = expected.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var entry in expected)
        {
            if (entry.Kind == TreeEntryKind.Other) continue; // devices and FIFOs are listed by the set, not compared
            if (!there.TryGetValue(entry.Path, out var found)) problems.Add($"{entry.Path}: missing");
            else if (!found.SameAs(entry)) problems.Add(found.DifferenceFrom(entry));
        }
        foreach (var entry in actual)
        {
            if (wanted.Contains(entry.Path)) continue;
            if (allowedExtras.Any(x => entry.Path == x || entry.Path.StartsWith(x + "/", StringComparison.Ordinal))) continue;
            problems.Add($"{entry.Path}: not in the set");
        }
        return problems;
    }
}

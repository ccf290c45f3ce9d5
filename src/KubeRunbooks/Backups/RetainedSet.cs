namespace KubeRunbooks.Backups;

/// <summary>A set retention kept, and every rule that kept it.</summary>
/// <param name="Name">The set's name (its folder name).</param>
/// <param name="Rules">Why it stays, e.g. <c>newest 1 of 2</c>, <c>daily 2026-12-05</c>, <c>weekly 2026-W49</c>,
/// <c>monthly 2026-12</c>, <c>just written</c>.</param>
public sealed record RetainedSet(string Name, IReadOnlyList<string> Rules)
{
    /// <summary>The name and its rules, e.g. <c>postgres-20261205-010000 (newest 1 of 1, daily 2026-12-05)</c>.</summary>
    public override string ToString() => $"{Name} ({string.Join(", ", Rules)})";
}

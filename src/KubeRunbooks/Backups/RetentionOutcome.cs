namespace KubeRunbooks.Backups;

/// <summary>What <see cref="BackupRetention"/> decided (and, for <see cref="BackupRetention.Apply"/>, did).</summary>
/// <param name="Kept">Sets of the kind that stay, newest first, each with the rules that keep it.</param>
/// <param name="Deleted">Sets deleted (or, from <see cref="BackupRetention.Decide"/>, to delete), newest first.</param>
/// <param name="Unreadable">Folders left alone because their manifest could not be read.</param>
/// <param name="Policy">The policy applied.</param>
/// <param name="Zone">The time zone whose days, weeks and months were counted.</param>
public sealed record RetentionOutcome(IReadOnlyList<RetainedSet> Kept, IReadOnlyList<string> Deleted, IReadOnlyList<string> Unreadable, RetentionPolicy Policy, TimeZoneInfo Zone)
{
    /// <summary>The names of the kept sets, newest first.</summary>
    public IReadOnlyList<string> KeptNames => Kept.Select(k => k.Name).ToList();

    /// <summary>The outcome for the log and the report: the policy, then each set kept (with its rules), deleted or left alone.</summary>
    public IEnumerable<string> Lines()
    {
        yield return $"Retention keeps {Policy} (days, ISO weeks and months of each set's recorded start, in {ZoneName}).";
        foreach (var kept in Kept) yield return $"Retention: kept {kept}.";
        foreach (var deleted in Deleted) yield return $"Retention: deleted {deleted}.";
        foreach (var unreadable in Unreadable) yield return $"Retention: left {unreadable} alone (its manifest cannot be read).";
    }

    private string ZoneName => Zone == TimeZoneInfo.Utc ? "UTC" : Zone.Id;
}

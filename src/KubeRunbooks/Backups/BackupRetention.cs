using System.Globalization;

namespace KubeRunbooks.Backups;

/// <summary>
/// Deletes old sets of one kind by a <see cref="RetentionPolicy"/>. Never deletes the set just written, a set whose
/// manifest it cannot read, a set of another kind, or a failed set newer than the newest kept complete one.
/// </summary>
public static class BackupRetention
{
    /// <summary>Applies the policy.</summary>
    /// <param name="store">The backup folder.</param>
    /// <param name="kind">The kind of set counted.</param>
    /// <param name="policy">What is kept.</param>
    /// <param name="justWritten">The folder of the set this run wrote (always kept), or null.</param>
    /// <param name="zone">The time zone whose days, weeks and months count; local by default.</param>
    /// <returns>What was kept, deleted and left alone.</returns>
    public static RetentionOutcome Apply(BackupStore store, string kind, RetentionPolicy policy, string? justWritten, TimeZoneInfo? zone = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(policy.Keep, 1);
        zone ??= TimeZoneInfo.Local;
        var all = store.List();
        var unreadable = all.Where(s => s.Manifest is null).Select(s => s.Name).ToList();
        var ofKind = all.Where(s => s.Manifest is { } m && m.Kind == kind).ToList(); // newest first
        var complete = ofKind.Where(s => s.IsComplete).ToList();
        var keep = new HashSet<string>(complete.Take(policy.Keep).Select(s => s.Folder), StringComparer.Ordinal);
        KeepGenerations(complete, policy.Daily, t => t.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), zone, keep);
        KeepGenerations(complete, policy.Weekly, t => $"{ISOWeek.GetYear(t)}-W{ISOWeek.GetWeekOfYear(t)}", zone, keep);
        KeepGenerations(complete, policy.Monthly, t => t.ToString("yyyy-MM", CultureInfo.InvariantCulture), zone, keep);
        if (justWritten is not null) keep.Add(Path.GetFullPath(justWritten));
        var newestKept = complete.FirstOrDefault(s => keep.Contains(s.Folder))?.Manifest!.Started;

        var deleted = new List<string>();
        foreach (var set in ofKind)
        {
            if (keep.Contains(set.Folder)) continue;
            // A failed set newer than every kept good one is the latest news about this backup: leave it to be read.
            if (!set.IsComplete && (newestKept is null || set.Manifest!.Started > newestKept)) continue;
            Directory.Delete(set.Folder, recursive: true);
            deleted.Add(set.Name);
        }
        var kept = ofKind.Select(s => s.Name).Except(deleted).ToList();
        return new RetentionOutcome(kept, deleted, unreadable);
    }

    private static void KeepGenerations(IReadOnlyList<BackupSetInfo> newestFirst, int count, Func<DateTime, string> period, TimeZoneInfo zone, HashSet<string> keep)
    {
        if (count <= 0) return;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var set in newestFirst)
        {
            var local = TimeZoneInfo.ConvertTime(set.Manifest!.Started, zone).DateTime;
            if (!seen.Add(period(local))) continue; // an older set of a period already represented
            keep.Add(set.Folder);
            if (seen.Count == count) return;
        }
    }
}

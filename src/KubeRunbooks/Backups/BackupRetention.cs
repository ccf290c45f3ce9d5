using System.Globalization;

namespace KubeRunbooks.Backups;

/// <summary>
/// Deletes old sets of one kind by a <see cref="RetentionPolicy"/>. Never deletes the set just written, a set whose
/// manifest it cannot read, a set of another kind, or a failed set newer than the newest kept complete one. Days,
/// ISO weeks and months are those of each set's recorded start (its manifest's <c>started</c>) in the zone given,
/// UTC by default.
/// </summary>
public static class BackupRetention
{
    /// <summary>The name a dry run gives the set the run is about to write.</summary>
    public const string UpcomingName = "(the new set)";

    /// <summary>Applies the policy: decides, then deletes what is not kept.</summary>
    /// <param name="store">The backup folder.</param>
    /// <param name="kind">The kind of set counted.</param>
    /// <param name="policy">What is kept.</param>
    /// <param name="justWritten">The folder of the set this run wrote (always kept), or null.</param>
    /// <param name="zone">The time zone whose days, weeks and months count; UTC by default.</param>
    /// <returns>What was kept (and by which rule), deleted and left alone.</returns>
    public static RetentionOutcome Apply(BackupStore store, string kind, RetentionPolicy policy, string? justWritten, TimeZoneInfo? zone = null)
    {
        var all = store.List();
        var outcome = Decide(all, kind, policy, justWritten, zone);
        foreach (var name in outcome.Deleted) Directory.Delete(all.First(s => s.Name == name).Folder, recursive: true);
        return outcome;
    }

    /// <summary>
    /// Decides without deleting. With <paramref name="upcoming"/> (a dry run), a complete set started then is counted
    /// as the newest, named <see cref="UpcomingName"/>, as the run would write it.
    /// </summary>
    /// <param name="sets">The backup folder's sets (<see cref="BackupStore.List"/>).</param>
    /// <param name="kind">The kind of set counted.</param>
    /// <param name="policy">What is kept.</param>
    /// <param name="justWritten">The folder of the set this run wrote (always kept), or null.</param>
    /// <param name="zone">The time zone whose days, weeks and months count; UTC by default.</param>
    /// <param name="upcoming">When the set about to be written starts, for a dry run; null otherwise.</param>
    public static RetentionOutcome Decide(IReadOnlyList<BackupSetInfo> sets, string kind, RetentionPolicy policy, string? justWritten, TimeZoneInfo? zone = null, DateTimeOffset? upcoming = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(policy.Keep, 1);
        zone ??= TimeZoneInfo.Utc;
        var unreadable = sets.Where(s => s.Manifest is null).Select(s => s.Name).ToList();
        var ofKind = sets.Where(s => s.Manifest is { } m && m.Kind == kind)
            .Select(s => new Candidate(s.Name, s.Folder, s.Manifest!.Started, s.IsComplete)).ToList();
        if (upcoming is { } at) ofKind.Add(new Candidate(UpcomingName, "", at, true));
        ofKind = ofKind.OrderByDescending(c => c.Started).ThenByDescending(c => c.Name, StringComparer.Ordinal).ToList(); // newest first
        var complete = ofKind.Where(c => c.Complete).ToList();

        var rules = ofKind.ToDictionary(c => c.Name, _ => new List<string>(), StringComparer.Ordinal);
        for (var i = 0; i < Math.Min(policy.Keep, complete.Count); i++) rules[complete[i].Name].Add($"newest {i + 1} of {policy.Keep}");
        KeepGenerations(complete, policy.Daily, "daily", t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), zone, rules);
        KeepGenerations(complete, policy.Weekly, "weekly", t => string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(t)}-W{ISOWeek.GetWeekOfYear(t):00}"), zone, rules);
        KeepGenerations(complete, policy.Monthly, "monthly", t => t.ToString("yyyy-MM", CultureInfo.InvariantCulture), zone, rules);
        var written = justWritten is null ? null : Path.GetFullPath(justWritten);
        foreach (var c in ofKind.Where(c => written is not null && c.Folder.Length > 0 && Path.GetFullPath(c.Folder) == written)) rules[c.Name].Add("just written");

        // A failed set newer than every kept good one is the latest news about this backup: leave it to be read.
        var newestKept = complete.FirstOrDefault(c => rules[c.Name].Count > 0)?.Started;
        foreach (var c in ofKind.Where(c => !c.Complete && (newestKept is null || c.Started > newestKept)))
            rules[c.Name].Add("failed, newer than every kept good set");

        var kept = ofKind.Where(c => rules[c.Name].Count > 0).Select(c => new RetainedSet(c.Name, rules[c.Name])).ToList();
        var deleted = ofKind.Where(c => rules[c.Name].Count == 0).Select(c => c.Name).ToList();
        return new RetentionOutcome(kept, deleted, unreadable, policy, zone);
    }

    // The newest complete set of each of the last `count` periods that have one (restic's and borg's keep-daily etc.).
    private static void KeepGenerations(IReadOnlyList<Candidate> newestFirst, int count, string rule, Func<DateTime, string> period, TimeZoneInfo zone, Dictionary<string, List<string>> rules)
    {
        if (count <= 0) return;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var set in newestFirst)
        {
            var key = period(TimeZoneInfo.ConvertTime(set.Started, zone).DateTime);
            if (!seen.Add(key)) continue; // an older set of a period already represented
            rules[set.Name].Add($"{rule} {key}");
            if (seen.Count == count) return;
        }
    }

    /// <summary>A set of the kind as retention sees it.</summary>
    private sealed record Candidate(string Name, string Folder, DateTimeOffset Started, bool Complete);
}

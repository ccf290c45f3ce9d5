using System.Globalization;
using KubeRunbooks.Clusters;

namespace KubeRunbooks.Backups;

/// <summary>
/// Which complete sets of a kind are kept: the newest <see cref="Keep"/> (the profile's <c>backups.retention</c>,
/// KAMONOHASHI's <c>MaxNumberOfBackupFiles</c>), plus the newest set of each of the last <see cref="Daily"/> days,
/// <see cref="Weekly"/> ISO weeks (Monday to Sunday) and <see cref="Monthly"/> months that have a complete set
/// (<c>backups.keepDaily</c>, <c>keepWeekly</c>, <c>keepMonthly</c>).
/// </summary>
/// <param name="Keep">The newest sets kept (at least 1).</param>
/// <param name="Daily">Daily generations kept.</param>
/// <param name="Weekly">Weekly generations kept.</param>
/// <param name="Monthly">Monthly generations kept.</param>
public sealed record RetentionPolicy(int Keep, int Daily = 0, int Weekly = 0, int Monthly = 0)
{
    /// <summary>The policy a profile's <c>backups</c> section sets.</summary>
    public static RetentionPolicy From(BackupSettings backups) =>
        new(backups.Retention, backups.KeepDaily, backups.KeepWeekly, backups.KeepMonthly);

    /// <summary>The policy in words, e.g. <c>the newest 2, 7 daily, 4 weekly, 6 monthly</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string> { $"the newest {Keep}" };
        if (Daily > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Daily} daily"));
        if (Weekly > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Weekly} weekly"));
        if (Monthly > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Monthly} monthly"));
        return string.Join(", ", parts);
    }
}

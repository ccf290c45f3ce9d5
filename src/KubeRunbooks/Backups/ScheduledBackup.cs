using KubeRunbooks.Clusters;

namespace KubeRunbooks.Backups;

/// <summary>
/// The schedule gate of a backup target, decided from its own backup folder: a run on demand always works; a
/// <c>--scheduled</c> run asks <see cref="ScheduleGate"/> whether a slot has passed since the newest complete set of
/// the target's kind was started (unfinished sets and other kinds do not count).
/// </summary>
public static class ScheduledBackup
{
    /// <summary>Decides.</summary>
    /// <param name="scheduled">True for a <c>--scheduled</c> run.</param>
    /// <param name="schedule">The weekly slots the run follows (empty: every scheduled run backs up).</param>
    /// <param name="store">The backup folder.</param>
    /// <param name="kind">The kind of the target's sets.</param>
    /// <param name="now">Now.</param>
    /// <param name="zone">The schedule's time zone; local by default.</param>
    /// <returns>The gate's decision, or null for a run on demand.</returns>
    public static ScheduleDecision? Decide(bool scheduled, WeeklySchedule schedule, BackupStore store, string kind, DateTimeOffset now, TimeZoneInfo? zone = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        return scheduled ? ScheduleGate.Decide(schedule, store.LatestComplete(kind)?.Manifest?.Started, now, zone) : null;
    }
}

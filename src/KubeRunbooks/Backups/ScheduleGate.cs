using System.Globalization;
using KubeRunbooks.Clusters;

namespace KubeRunbooks.Backups;

/// <summary>
/// Whether a <c>--scheduled</c> backup does its work now: only when a slot of the weekly schedule (the seed's
/// <c>Sun=01:00:00;Mon=01:00:00</c>) has passed since the last good set, so a pipeline may call it every hour and
/// get one backup per slot. Slots are in the operator's time zone (local by default).
/// </summary>
public static class ScheduleGate
{
    /// <summary>Decides.</summary>
    /// <param name="schedule">The profile's schedule; an empty one runs every time.</param>
    /// <param name="lastGoodSet">When the newest complete set of the kind was started, or null when there is none.</param>
    /// <param name="now">Now.</param>
    /// <param name="zone">The schedule's time zone; local by default.</param>
    public static ScheduleDecision Decide(WeeklySchedule schedule, DateTimeOffset? lastGoodSet, DateTimeOffset now, TimeZoneInfo? zone = null)
    {
        zone ??= TimeZoneInfo.Local;
        if (schedule.Slots.Count == 0) return new ScheduleDecision(true, "no schedule in the profile: a scheduled run always backs up");
        var localNow = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var slot = schedule.LastSlotAtOrBefore(localNow)!.Value;
        if (lastGoodSet is null) return new ScheduleDecision(true, $"no good set yet; the slot of {Text(slot)} has passed");
        var lastLocal = TimeZoneInfo.ConvertTime(lastGoodSet.Value, zone).DateTime;
        if (lastLocal < slot)
            return new ScheduleDecision(true, $"the slot of {Text(slot)} has passed since the last good set ({Text(lastLocal)})");
        var next = NextSlotAfter(schedule, localNow);
        return new ScheduleDecision(false, $"skipped: no slot of '{schedule}' has passed since the last good set ({Text(lastLocal)}); the next is {Text(next)}");
    }

    private static DateTime NextSlotAfter(WeeklySchedule schedule, DateTime now) =>
        schedule.Slots.Select(s =>
        {
            var days = ((int)s.Day - (int)now.DayOfWeek + 7) % 7;
            var candidate = now.Date.AddDays(days) + s.Time;
            return candidate > now ? candidate : candidate.AddDays(7);
        }).Min();

    private static string Text(DateTime time) => time.ToString("ddd yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}

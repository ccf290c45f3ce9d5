using System.Globalization;

namespace KubeRunbooks.Clusters;

/// <summary>A weekly time slot such as <c>Sun=01:00:00</c>.</summary>
/// <param name="Day">The day of the week.</param>
/// <param name="Time">The time of day (cluster-local time as the operator wrote it).</param>
public sealed record WeeklySlot(DayOfWeek Day, TimeSpan Time)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Day.ToString()[..3]}={Time.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture)}";
}

/// <summary>
/// The seed's <c>WeeklyTimeSchedule</c>: slots separated by <c>;</c>, e.g. <c>Sun=01:00:00;Wed=01:00:00</c>.
/// </summary>
public sealed record WeeklySchedule(IReadOnlyList<WeeklySlot> Slots)
{
    private static readonly string[] DayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    /// <summary>No slots: scheduled runs are not restricted.</summary>
    public static WeeklySchedule Empty { get; } = new([]);

    /// <summary>
    /// Parses the seed's format. Returns <c>false</c> with a short reason when the text is malformed.
    /// </summary>
    public static bool TryParse(string text, out WeeklySchedule schedule, out string error)
    {
        schedule = Empty;
        error = "";
        var slots = new List<WeeklySlot>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split('=', 2);
            var day = pieces.Length == 2 ? Array.FindIndex(DayNames, d => d.Equals(pieces[0].Trim(), StringComparison.OrdinalIgnoreCase)) : -1;
            if (day < 0 || !TimeSpan.TryParseExact(pieces[1].Trim(), @"hh\:mm\:ss", CultureInfo.InvariantCulture, out var time))
            {
                error = $"'{part}' is not a slot like Sun=01:00:00";
                return false;
            }

            slots.Add(new WeeklySlot((DayOfWeek)day, time));
        }

        schedule = new WeeklySchedule(slots);
        return true;
    }

    /// <summary>The most recent slot at or before <paramref name="now"/>, or <c>null</c> when there are no slots.</summary>
    public DateTime? LastSlotAtOrBefore(DateTime now)
    {
        DateTime? best = null;
        foreach (var slot in Slots)
        {
            var daysBack = ((int)now.DayOfWeek - (int)slot.Day + 7) % 7;
            var candidate = now.Date.AddDays(-daysBack) + slot.Time;
            if (candidate > now)
            {
                candidate = candidate.AddDays(-7);
            }

            if (best is null || candidate > best)
            {
                best = candidate;
            }
        }

        return best;
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(';', Slots);
}

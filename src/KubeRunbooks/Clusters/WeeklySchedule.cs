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
/// The seed's <c>WeeklyTimeSchedule</c>: slots separated by <c>;</c>, e.g. <c>Sun=01:00:00;Wed=01:00:00</c>: a day
/// written as the first three letters of its English name (<c>Sun</c>..<c>Sat</c>), <c>=</c>, a time <c>HH:mm:ss</c>.
/// The same text is what KAMONOHASHI itself reads, so the parser is strict: no spaces, no empty slot, no other case.
/// </summary>
public sealed record WeeklySchedule(IReadOnlyList<WeeklySlot> Slots)
{
    /// <summary>The day names the format accepts, Sunday first (the index is the <see cref="DayOfWeek"/>).</summary>
    public static readonly IReadOnlyList<string> DayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    /// <summary>No slots: scheduled runs are not restricted.</summary>
    public static WeeklySchedule Empty { get; } = new([]);

    /// <summary>
    /// Parses the seed's format. Returns <c>false</c> with a one-line reason naming the slot and what is wrong in it
    /// when the text is malformed. An empty text is the empty schedule.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="schedule">The schedule, or <see cref="Empty"/> when malformed.</param>
    /// <param name="error">Why it is malformed.</param>
    /// <param name="exact">
    /// True for text given to the application itself (SetBackupSchedule): day names exactly <c>Sun</c>..<c>Sat</c>, no
    /// spaces. False (a profile's <c>schedule</c>): day names in any case and spaces around a slot's parts allowed.
    /// </param>
    public static bool TryParse(string text, out WeeklySchedule schedule, out string error, bool exact = false)
    {
        schedule = Empty;
        error = "";
        if (text.Length == 0) return true;
        var slots = new List<WeeklySlot>();
        var parts = text.Split(';');
        for (var i = 0; i < parts.Length; i++)
        {
            if (!TryParseSlot(exact ? parts[i] : parts[i].Trim(), exact, out var slot, out var why))
            {
                error = parts[i].Length == 0
                    ? $"slot {i + 1} of '{text}' is empty: slots are separated by a single ';' with none at either end"
                    : $"'{parts[i]}' is not a slot like Sun=01:00:00: {why}";
                return false;
            }

            if (slots.Contains(slot))
            {
                error = $"the slot '{parts[i]}' is given twice";
                return false;
            }

            slots.Add(slot);
        }

        schedule = new WeeklySchedule(slots);
        return true;
    }

    private static bool TryParseSlot(string part, bool exact, out WeeklySlot slot, out string why)
    {
        slot = new WeeklySlot(DayOfWeek.Sunday, TimeSpan.Zero);
        why = "";
        if (part.Length == 0) return false;
        var equals = part.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            why = "no '=' between the day and the time";
            return false;
        }

        var dayText = exact ? part[..equals] : part[..equals].Trim();
        var timeText = exact ? part[(equals + 1)..] : part[(equals + 1)..].Trim();
        var day = exact ? DayNames.ToList().IndexOf(dayText) : DayNames.ToList().FindIndex(d => d.Equals(dayText, StringComparison.OrdinalIgnoreCase));
        if (day < 0)
        {
            var other = DayNames.FirstOrDefault(d => d.Equals(dayText.Trim(), StringComparison.OrdinalIgnoreCase));
            why = other is not null
                ? $"the day '{dayText}' must be written exactly {other}"
                : $"'{dayText}' is not a day ({string.Join(", ", DayNames)})";
            return false;
        }

        if (!IsTwoDigitTime(timeText) || !TimeSpan.TryParseExact(timeText, @"hh\:mm\:ss", CultureInfo.InvariantCulture, out var time))
        {
            why = $"'{timeText}' is not a time HH:mm:ss from 00:00:00 to 23:59:59";
            return false;
        }

        slot = new WeeklySlot((DayOfWeek)day, time);
        return true;
    }

    // TimeSpan's parser alone accepts one-digit fields; the format has two digits in each.
    private static bool IsTwoDigitTime(string text) =>
        text.Length == 8 && text[2] == ':' && text[5] == ':'
        && text.Where((c, i) => i is not (2 or 5)).All(char.IsAsciiDigit);

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

    /// <summary>The text in the seed's format, slots in the order given (what the application is given).</summary>
    public override string ToString() => string.Join(';', Slots);

    /// <summary>Two schedules are equal when they hold the same slots in the same order.</summary>
    public bool Equals(WeeklySchedule? other) => other is not null && Slots.SequenceEqual(other.Slots);

    /// <inheritdoc />
    public override int GetHashCode() => Slots.Aggregate(0, (h, s) => HashCode.Combine(h, s));
}

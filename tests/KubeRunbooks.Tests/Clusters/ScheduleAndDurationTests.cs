using KubeRunbooks.Clusters;

namespace KubeRunbooks.Tests.Clusters;

[TestFixture]
public sealed class ScheduleAndDurationTests
{
    [TestCase("90s", 90)]
    [TestCase("10m", 600)]
    [TestCase("1h30m", 5400)]
    [TestCase("00:10:00", 600)]
    [TestCase("1.00:00:00", 86400)]
    public void Durations_parse_in_both_styles(string text, int seconds)
    {
        Assert.That(DurationText.TryParse(text, out var value), Is.True);
        Assert.That(value, Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [TestCase("")]
    [TestCase("5")]
    [TestCase("5 minutes")]
    [TestCase("-00:01:00")]
    [TestCase("m")]
    [TestCase("99999999999999999h")]
    public void Non_durations_are_refused(string text) => Assert.That(DurationText.TryParse(text, out _), Is.False);

    [Test]
    public void The_last_slot_before_now_wraps_to_the_previous_week()
    {
        Assert.That(WeeklySchedule.TryParse("Sun=01:00:00;Wed=01:00:00", out var schedule, out _), Is.True);

        // 2026-11-23 is a Monday.
        Assert.That(schedule.LastSlotAtOrBefore(new DateTime(2026, 11, 23, 12, 0, 0)), Is.EqualTo(new DateTime(2026, 11, 22, 1, 0, 0)));
        Assert.That(schedule.LastSlotAtOrBefore(new DateTime(2026, 11, 22, 0, 59, 0)), Is.EqualTo(new DateTime(2026, 11, 18, 1, 0, 0)));
        Assert.That(WeeklySchedule.Empty.LastSlotAtOrBefore(DateTime.UtcNow), Is.Null);
    }

    [TestCase("Sun")]
    [TestCase("Xyz=01:00:00")]
    [TestCase("Sun=25:00:00")]
    public void Bad_slots_are_refused(string text)
    {
        Assert.That(WeeklySchedule.TryParse(text, out _, out var error), Is.False);
        Assert.That(error, Does.Contain("is not a slot"));
    }
}

using KubeRunbooks.Clusters;

namespace KubeRunbooks.Tests.Clusters;

/// <summary>The seed's WeeklyTimeSchedule format, slot by slot: what is accepted, and the reason given for each refusal.</summary>
[TestFixture]
public sealed class WeeklyScheduleFormatTests
{
    [TestCase("Sun=01:00:00", "Sun=01:00:00")]
    [TestCase("Sun=01:00:00;Mon=01:00:00", "Sun=01:00:00;Mon=01:00:00")]
    [TestCase("Sun=00:00:00;Mon=23:59:59;Tue=12:00:00;Wed=01:02:03;Thu=04:05:06;Fri=07:08:09;Sat=10:11:12", "Sun=00:00:00;Mon=23:59:59;Tue=12:00:00;Wed=01:02:03;Thu=04:05:06;Fri=07:08:09;Sat=10:11:12")]
    [TestCase("Mon=01:00:00;Sun=01:00:00", "Mon=01:00:00;Sun=01:00:00")]
    [TestCase("Sun=01:00:00;Sun=02:00:00", "Sun=01:00:00;Sun=02:00:00")]
    public void Good_schedules_parse_and_print_back_the_same(string text, string printed)
    {
        Assert.That(WeeklySchedule.TryParse(text, out var schedule, out var error, exact: true), Is.True, error);
        Assert.That(schedule.ToString(), Is.EqualTo(printed));
    }

    [Test]
    public void Each_day_name_is_its_day_of_week()
    {
        Assert.That(WeeklySchedule.TryParse("Sun=01:00:00;Mon=01:00:00;Tue=01:00:00;Wed=01:00:00;Thu=01:00:00;Fri=01:00:00;Sat=01:00:00", out var schedule, out _), Is.True);
        Assert.That(schedule.Slots.Select(s => s.Day), Is.EqualTo(Enum.GetValues<DayOfWeek>()));
        Assert.That(schedule.Slots[0].Time, Is.EqualTo(TimeSpan.FromHours(1)));
    }

    [TestCase("Sun", "'Sun' is not a slot like Sun=01:00:00: no '=' between the day and the time")]
    [TestCase("Sun 01:00:00", "no '=' between the day and the time")]
    [TestCase("Xyz=01:00:00", "'Xyz' is not a day (Sun, Mon, Tue, Wed, Thu, Fri, Sat)")]
    [TestCase("Sunday=01:00:00", "'Sunday' is not a day")]
    [TestCase("sun=01:00:00", "the day 'sun' must be written exactly Sun")]
    [TestCase("SAT=01:00:00", "the day 'SAT' must be written exactly Sat")]
    [TestCase(" Sun=01:00:00", "the day ' Sun' must be written exactly Sun")]
    [TestCase("=01:00:00", "'' is not a day")]
    [TestCase("Sun=", "'' is not a time HH:mm:ss")]
    [TestCase("Sun=24:00:00", "'24:00:00' is not a time HH:mm:ss from 00:00:00 to 23:59:59")]
    [TestCase("Sun=25:00:00", "'25:00:00' is not a time")]
    [TestCase("Sun=01:60:00", "'01:60:00' is not a time")]
    [TestCase("Sun=01:00:60", "'01:00:60' is not a time")]
    [TestCase("Sun=1:00:00", "'1:00:00' is not a time")]
    [TestCase("Sun=01:00", "'01:00' is not a time")]
    [TestCase("Sun=01:00:00.5", "'01:00:00.5' is not a time")]
    [TestCase("Sun=1.01:00:00", "'1.01:00:00' is not a time")]
    [TestCase("Sun=01:00:00 ", "'01:00:00 ' is not a time")]
    [TestCase("Sun=01:00:00=Mon", "'01:00:00=Mon' is not a time")]
    [TestCase("Sun=01:00:00,Mon=01:00:00", "'01:00:00,Mon=01:00:00' is not a time")]
    [TestCase("Sun=01:00:00;", "slot 2 of 'Sun=01:00:00;' is empty")]
    [TestCase(";Sun=01:00:00", "slot 1 of ';Sun=01:00:00' is empty")]
    [TestCase("Sun=01:00:00;;Mon=01:00:00", "slot 2 of 'Sun=01:00:00;;Mon=01:00:00' is empty")]
    [TestCase("Sun=01:00:00;Sun=01:00:00", "the slot 'Sun=01:00:00' is given twice")]
    [TestCase("Sun=01:00:00;Mon=0x:00:00", "'Mon=0x:00:00' is not a slot like Sun=01:00:00: '0x:00:00' is not a time")]
    public void Bad_schedules_are_refused_naming_the_slot_and_what_is_wrong(string text, string expected)
    {
        Assert.That(WeeklySchedule.TryParse(text, out var schedule, out var error, exact: true), Is.False);
        Assert.That(error, Does.Contain(expected));
        Assert.That(schedule, Is.SameAs(WeeklySchedule.Empty));
    }

    [Test]
    public void A_profile_schedule_may_use_any_case_and_spaces_and_is_printed_in_the_exact_form()
    {
        Assert.That(WeeklySchedule.TryParse("sun=01:00:00; WED = 23:30:00", out var schedule, out var error), Is.True, error);
        Assert.That(schedule.ToString(), Is.EqualTo("Sun=01:00:00;Wed=23:30:00"));
        Assert.That(WeeklySchedule.TryParse("Xyz=01:00:00", out _, out error), Is.False);
        Assert.That(error, Does.Contain("'Xyz' is not a day"));
    }

    [Test]
    public void An_empty_text_is_the_empty_schedule()
    {
        Assert.That(WeeklySchedule.TryParse("", out var schedule, out _), Is.True);
        Assert.That(schedule.Slots, Is.Empty);
    }

    [Test]
    public void Schedules_with_the_same_slots_in_the_same_order_are_equal()
    {
        WeeklySchedule.TryParse("Sun=01:00:00;Mon=01:00:00", out var a, out _);
        WeeklySchedule.TryParse("Sun=01:00:00;Mon=01:00:00", out var b, out _);
        WeeklySchedule.TryParse("Mon=01:00:00;Sun=01:00:00", out var c, out _);
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a, Is.Not.EqualTo(c));
    }
}

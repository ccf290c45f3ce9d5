using System.Text;
using KubeRunbooks.Backups;
using KubeRunbooks.Clusters;
using KubeRunbooks.Tests.Kubernetes.Support;

namespace KubeRunbooks.Tests.DataPath;

/// <summary>Retention of several sets and the weekly schedule of <c>--scheduled</c> runs.</summary>
[TestFixture]
public sealed class RetentionAndScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 1, 0, 0, TimeSpan.Zero); // a Sunday

    private string _folder = null!;

    [SetUp]
    public void NewFolder() => _folder = DataPathWorld.NewFolder("retention");

    [Test]
    public async Task Retention_keeps_the_newest_N_and_deletes_the_rest_of_that_kind_only()
    {
        var sets = new List<string>();
        for (var day = 0; day < 5; day++) sets.Add(await SetAsync("postgres", Start.AddDays(day)));
        var other = await SetAsync("storage", Start);

        var outcome = BackupRetention.Apply(new BackupStore(_folder), "postgres", new RetentionPolicy(2), sets[^1], TimeZoneInfo.Utc);

        Assert.That(outcome.KeptNames, Is.EqualTo(new[] { Path.GetFileName(sets[4]), Path.GetFileName(sets[3]) }));
        Assert.That(outcome.Deleted, Is.EquivalentTo(sets.Take(3).Select(Path.GetFileName)));
        Assert.That(sets.Take(3).Any(Directory.Exists), Is.False);
        Assert.That(Directory.Exists(other), Is.True, "another kind is not counted");
    }

    [Test]
    public async Task Retention_never_deletes_an_unreadable_set_nor_the_set_just_written()
    {
        var old = await SetAsync("postgres", Start);
        var damaged = await SetAsync("postgres", Start.AddDays(1));
        File.WriteAllText(Path.Combine(damaged, BackupManifest.FileName), "{ not json");
        var unfinished = Path.Combine(_folder, "postgres-20261103-010000");
        Directory.CreateDirectory(unfinished);
        var newest = await SetAsync("postgres", Start.AddDays(5));
        var justWritten = old; // e.g. a set written with a wrong clock: still never deleted by the run that wrote it

        var outcome = BackupRetention.Apply(new BackupStore(_folder), "postgres", new RetentionPolicy(1), justWritten, TimeZoneInfo.Utc);

        Assert.That(Directory.Exists(damaged) && Directory.Exists(unfinished) && Directory.Exists(old) && Directory.Exists(newest), Is.True);
        Assert.That(outcome.Unreadable, Is.EquivalentTo(new[] { Path.GetFileName(damaged), Path.GetFileName(unfinished) }));
        Assert.That(outcome.Deleted, Is.Empty);
    }

    [Test]
    public async Task Generations_keep_the_newest_set_of_each_recent_day_week_and_month()
    {
        // Two sets a day for 70 days.
        var sets = new List<(DateTimeOffset At, string Folder)>();
        for (var i = 0; i < 140; i++)
        {
            var at = Start.AddHours(12 * i);
            sets.Add((at, await SetAsync("postgres", at)));
        }
        var outcome = BackupRetention.Apply(new BackupStore(_folder), "postgres", new RetentionPolicy(1, Daily: 3, Weekly: 2, Monthly: 2), null, TimeZoneInfo.Utc);

        var kept = sets.Where(s => Directory.Exists(s.Folder)).Select(s => s.At).ToList();
        var last = sets[^1].At; // 2027-01-09 13:00, a Saturday
        var expected = new[]
        {
            last, last.AddHours(-12 - 12), last.AddHours(-12 - 36),                // newest of the last three days (incl. the newest set)
            new DateTimeOffset(2027, 1, 3, 13, 0, 0, TimeSpan.Zero),                 // newest of the previous ISO week (ends Sunday)
            new DateTimeOffset(2026, 12, 31, 13, 0, 0, TimeSpan.Zero),               // newest of December
        }.Distinct().OrderDescending().ToList();
        Assert.That(kept.OrderDescending(), Is.EqualTo(expected));
        Assert.That(outcome.Kept, Has.Count.EqualTo(expected.Count));
    }

    [Test]
    public async Task A_failed_set_newer_than_the_good_ones_is_left_to_be_read()
    {
        var good = await SetAsync("postgres", Start);
        var failed = BackupSetWriter.Create(_folder, "postgres", "prod", new ManualClock(Start.AddDays(1)));
        await failed.WriteBytesAsync(new BackupFileSpec("a.txt", BackupContent.Raw), "a"u8.ToArray());
        failed.Fail("the dump failed");
        var outcome = BackupRetention.Apply(new BackupStore(_folder), "postgres", new RetentionPolicy(1), null, TimeZoneInfo.Utc);
        Assert.That(outcome.Deleted, Is.Empty);
        Assert.That(Directory.Exists(failed.Folder) && Directory.Exists(good), Is.True);
    }

    [Test]
    public void A_scheduled_run_works_when_a_slot_has_passed_since_the_last_good_set()
    {
        WeeklySchedule.TryParse("Sun=01:00:00;Mon=01:00:00", out var schedule, out _);
        var sundayLast = new DateTimeOffset(2026, 12, 6, 1, 5, 0, TimeSpan.Zero); // Sun 01:05, taken for the Sun slot
        var tuesday = new DateTimeOffset(2026, 12, 8, 9, 0, 0, TimeSpan.Zero);
        var decision = ScheduleGate.Decide(schedule, sundayLast, tuesday, TimeZoneInfo.Utc);
        Assert.That(decision.Run, Is.True);
        Assert.That(decision.Reason, Does.Contain("Mon 2026-12-07 01:00:00"));
    }

    [Test]
    public void A_scheduled_run_skips_and_says_so_when_no_slot_has_passed()
    {
        WeeklySchedule.TryParse("Sun=01:00:00;Mon=01:00:00", out var schedule, out _);
        var mondayLast = new DateTimeOffset(2026, 12, 7, 1, 0, 30, TimeSpan.Zero);
        var wednesday = new DateTimeOffset(2026, 12, 9, 23, 0, 0, TimeSpan.Zero);
        var decision = ScheduleGate.Decide(schedule, mondayLast, wednesday, TimeZoneInfo.Utc);
        Assert.That(decision.Run, Is.False);
        Assert.That(decision.Reason, Does.StartWith("skipped").And.Contain("Sun 2026-12-13 01:00:00"));
    }

    [Test]
    public void A_scheduled_run_with_no_good_set_or_no_schedule_runs()
    {
        WeeklySchedule.TryParse("Sun=01:00:00", out var schedule, out _);
        Assert.That(ScheduleGate.Decide(schedule, null, Start, TimeZoneInfo.Utc).Run, Is.True);
        Assert.That(ScheduleGate.Decide(WeeklySchedule.Empty, Start, Start, TimeZoneInfo.Utc).Run, Is.True);
    }

    [Test]
    public void The_slot_in_the_operators_time_zone_counts()
    {
        WeeklySchedule.TryParse("Sun=01:00:00", out var schedule, out _);
        var tokyo = TimeZoneInfo.CreateCustomTimeZone("JST", TimeSpan.FromHours(9), "JST", "JST");
        var last = new DateTimeOffset(2026, 11, 29, 16, 30, 0, TimeSpan.Zero); // Mon 01:30 JST
        Assert.That(ScheduleGate.Decide(schedule, last, new DateTimeOffset(2026, 12, 5, 15, 59, 0, TimeSpan.Zero), tokyo).Run, Is.False, "Sun 00:59 JST, before the slot");
        Assert.That(ScheduleGate.Decide(schedule, last, new DateTimeOffset(2026, 12, 5, 16, 1, 0, TimeSpan.Zero), tokyo).Run, Is.True, "Sun 01:01 JST");
    }

    private async Task<string> SetAsync(string kind, DateTimeOffset at)
    {
        var set = BackupSetWriter.Create(_folder, kind, "prod", new ManualClock(at));
        await set.WriteBytesAsync(new BackupFileSpec("data.txt", BackupContent.Raw), Encoding.UTF8.GetBytes(at.ToString("O")));
        await set.CompleteAsync();
        return set.Folder;
    }
}

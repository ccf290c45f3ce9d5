using System.Globalization;
using KubeRunbooks.Backups;

namespace KubeRunbooks.Tests.DataPath;

/// <summary>
/// Daily, weekly (ISO) and monthly generations over many dated sets, decided in memory (<see cref="BackupRetention.Decide"/>):
/// month and year boundaries, ISO week 53, the zone the days are counted in, and the rule named for every kept set.
/// </summary>
[TestFixture]
public sealed class RetentionGenerationsTests
{
    private const string Root = "/backups";

    [Test]
    public void Monthly_keeps_the_newest_set_of_each_of_the_last_months_across_a_year_boundary()
    {
        // One set a day at 01:00 UTC from 2026-10-15 to 2027-01-10.
        var sets = Daily(new DateTime(2026, 10, 15, 1, 0, 0), new DateTime(2027, 1, 10, 1, 0, 0));

        var outcome = BackupRetention.Decide(sets, "postgres", new RetentionPolicy(1, Monthly: 3), null);

        Assert.That(outcome.KeptNames, Is.EqualTo(new[] { Name(2027, 1, 10), Name(2026, 12, 31), Name(2026, 11, 30) }));
        Assert.That(Rules(outcome), Is.EqualTo(new[]
        {
            "newest 1 of 1, monthly 2027-01",
            "monthly 2026-12",
            "monthly 2026-11",
        }));
        Assert.That(outcome.Deleted, Has.Count.EqualTo(sets.Count - 3));
        Assert.That(outcome.Deleted, Does.Contain(Name(2026, 10, 31)), "October is the fourth month back");
    }

    [Test]
    public void Weekly_counts_ISO_weeks_so_the_first_days_of_January_belong_to_week_53_of_the_old_year()
    {
        // 2026 has 53 ISO weeks: 2026-W53 runs Mon 2026-12-28 .. Sun 2027-01-03; 2027-W01 starts Mon 2027-01-04.
        var sets = Daily(new DateTime(2026, 12, 20, 1, 0, 0), new DateTime(2027, 1, 5, 1, 0, 0));

        var outcome = BackupRetention.Decide(sets, "postgres", new RetentionPolicy(1, Weekly: 3), null);

        Assert.That(outcome.KeptNames, Is.EqualTo(new[] { Name(2027, 1, 5), Name(2027, 1, 3), Name(2026, 12, 27) }));
        Assert.That(Rules(outcome), Is.EqualTo(new[]
        {
            "newest 1 of 1, weekly 2027-W01",
            "weekly 2026-W53", // Sunday 3 January 2027, not Thursday 31 December
            "weekly 2026-W52",
        }));
    }

    [Test]
    public void Weekly_puts_the_last_days_of_December_into_week_1_of_the_next_year_when_ISO_says_so()
    {
        // 2024-12-30 (Mon) and 2024-12-31 belong to 2025-W01; 2024-12-29 (Sun) is 2024-W52.
        var sets = Daily(new DateTime(2024, 12, 27, 1, 0, 0), new DateTime(2024, 12, 31, 1, 0, 0));

        var outcome = BackupRetention.Decide(sets, "postgres", new RetentionPolicy(1, Weekly: 2), null);

        Assert.That(outcome.KeptNames, Is.EqualTo(new[] { Name(2024, 12, 31), Name(2024, 12, 29) }));
        Assert.That(Rules(outcome), Is.EqualTo(new[] { "newest 1 of 1, weekly 2025-W01", "weekly 2024-W52" }));
    }

    [Test]
    public void Daily_weekly_and_monthly_together_name_every_rule_that_keeps_a_set()
    {
        // Two sets a day (01:00 and 13:00) for 60 days up to Sat 2027-01-09 13:00.
        var sets = new List<BackupSetInfo>();
        for (var at = new DateTime(2026, 11, 11, 1, 0, 0); at <= new DateTime(2027, 1, 9, 13, 0, 0); at = at.AddHours(12)) sets.Add(Set(at));
        sets.Reverse();

        var outcome = BackupRetention.Decide(sets, "postgres", new RetentionPolicy(2, Daily: 3, Weekly: 2, Monthly: 2), null);

        Assert.That(outcome.Kept.Select(k => k.ToString()), Is.EqualTo(new[]
        {
            $"{Name(2027, 1, 9, 13)} (newest 1 of 2, daily 2027-01-09, weekly 2027-W01, monthly 2027-01)",
            $"{Name(2027, 1, 9, 1)} (newest 2 of 2)",
            $"{Name(2027, 1, 8, 13)} (daily 2027-01-08)",
            $"{Name(2027, 1, 7, 13)} (daily 2027-01-07)",
            $"{Name(2027, 1, 3, 13)} (weekly 2026-W53)",
            $"{Name(2026, 12, 31, 13)} (monthly 2026-12)",
        }));
        Assert.That(outcome.Deleted, Has.Count.EqualTo(sets.Count - 6));
    }

    [Test]
    public void Days_are_counted_in_UTC_unless_a_zone_is_given()
    {
        // 23:30 UTC on the 5th is 08:30 on the 6th in Tokyo: with a set at 10:00 UTC on the 6th, the two share a Tokyo day.
        var late = Set(new DateTime(2026, 12, 5, 23, 30, 0));
        var next = Set(new DateTime(2026, 12, 6, 10, 0, 0));
        var earlier = Set(new DateTime(2026, 12, 5, 10, 0, 0));
        var sets = new[] { next, late, earlier };
        var policy = new RetentionPolicy(1, Daily: 2);

        var utc = BackupRetention.Decide(sets, "postgres", policy, null);
        var tokyo = BackupRetention.Decide(sets, "postgres", policy, null, TimeZoneInfo.CreateCustomTimeZone("JST", TimeSpan.FromHours(9), "JST", "JST"));

        Assert.That(utc.KeptNames, Is.EqualTo(new[] { next.Name, late.Name }), "UTC: the 6th and the 5th (23:30)");
        Assert.That(tokyo.KeptNames, Is.EqualTo(new[] { next.Name, earlier.Name }), "Tokyo: the 6th holds both; the 5th is 19:00 JST");
        Assert.That(utc.Lines().First(), Does.Contain("in UTC"));
        Assert.That(tokyo.Lines().First(), Does.Contain("in JST"));
    }

    [Test]
    public void Only_complete_sets_stand_for_a_day_and_unreadable_ones_are_never_deleted()
    {
        var good = Set(new DateTime(2026, 12, 4, 1, 0, 0));
        var failedSameDayLater = Set(new DateTime(2026, 12, 4, 9, 0, 0), complete: false);
        var older = Set(new DateTime(2026, 12, 3, 1, 0, 0));
        var oldFailed = Set(new DateTime(2026, 12, 2, 1, 0, 0), complete: false);
        var newest = Set(new DateTime(2026, 12, 5, 1, 0, 0));
        var unreadable = new BackupSetInfo($"{Root}/postgres-20261101-010000", null, "no manifest.json");
        var sets = new[] { newest, failedSameDayLater, good, older, oldFailed, unreadable };

        var outcome = BackupRetention.Decide(sets, "postgres", new RetentionPolicy(1, Daily: 2), null);

        Assert.That(outcome.KeptNames, Is.EqualTo(new[] { newest.Name, good.Name }), "the 4th is kept by its complete set");
        Assert.That(outcome.Deleted, Is.EqualTo(new[] { failedSameDayLater.Name, older.Name, oldFailed.Name }));
        Assert.That(outcome.Unreadable, Is.EqualTo(new[] { unreadable.Name }));
        Assert.That(outcome.Lines(), Does.Contain($"Retention: left {unreadable.Name} alone (its manifest cannot be read)."));
    }

    [Test]
    public void The_set_just_written_is_kept_even_when_no_generation_would_keep_it()
    {
        var newest = Set(new DateTime(2026, 12, 6, 1, 0, 0));
        var wrongClock = Set(new DateTime(2020, 1, 1, 1, 0, 0)); // written now by a machine whose clock was wrong
        var outcome = BackupRetention.Decide([newest, wrongClock], "postgres", new RetentionPolicy(1, Daily: 1, Monthly: 1), wrongClock.Folder);

        Assert.That(outcome.Deleted, Is.Empty);
        Assert.That(outcome.Kept.Single(k => k.Name == wrongClock.Name).Rules, Is.EqualTo(new[] { "just written" }));
    }

    [Test]
    public void A_dry_run_counts_the_upcoming_set_as_the_newest_and_deletes_nothing()
    {
        var sets = Daily(new DateTime(2026, 12, 1, 1, 0, 0), new DateTime(2026, 12, 4, 1, 0, 0));

        var outcome = BackupRetention.Decide(sets, "postgres", new RetentionPolicy(2, Daily: 2), null, upcoming: new DateTimeOffset(2026, 12, 5, 1, 0, 0, TimeSpan.Zero));

        Assert.That(outcome.KeptNames, Is.EqualTo(new[] { BackupRetention.UpcomingName, Name(2026, 12, 4) }));
        Assert.That(outcome.Deleted, Is.EqualTo(new[] { Name(2026, 12, 3), Name(2026, 12, 2), Name(2026, 12, 1) }));
    }

    [Test]
    public void Sets_of_another_kind_are_neither_kept_nor_deleted()
    {
        var mine = Set(new DateTime(2026, 12, 5, 1, 0, 0));
        var other = Set(new DateTime(2026, 12, 1, 1, 0, 0), kind: "storage");
        var outcome = BackupRetention.Decide([mine, other], "postgres", new RetentionPolicy(1), null);
        Assert.That(outcome.KeptNames, Is.EqualTo(new[] { mine.Name }));
        Assert.That(outcome.Deleted, Is.Empty);
    }

    [Test]
    public void The_policy_reads_as_the_profile_keys_say()
    {
        Assert.That(new RetentionPolicy(3, Daily: 7, Monthly: 12).ToString(), Is.EqualTo("the newest 3, 7 daily, 12 monthly"));
        Assert.That(RetentionPolicy.From(new KubeRunbooks.Clusters.BackupSettings { Retention = 2, KeepWeekly = 4 }), Is.EqualTo(new RetentionPolicy(2, Weekly: 4)));
    }

    // One set a day at the time of day of `from`, newest first (as BackupStore.List returns them).
    private static List<BackupSetInfo> Daily(DateTime from, DateTime to)
    {
        var sets = new List<BackupSetInfo>();
        for (var at = from; at <= to; at = at.AddDays(1)) sets.Add(Set(at));
        sets.Reverse();
        return sets;
    }

    private static BackupSetInfo Set(DateTime utc, bool complete = true, string kind = "postgres")
    {
        var started = new DateTimeOffset(utc, TimeSpan.Zero);
        var manifest = new BackupManifest
        {
            Kind = kind,
            Cluster = "prod",
            ToolVersion = "test",
            Started = started,
            Finished = started.AddMinutes(1),
            Result = complete ? BackupManifest.Complete : BackupManifest.Failed,
            Files = [],
        };
        return new BackupSetInfo($"{Root}/{kind}-{utc.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}", manifest, "");
    }

    private static string Name(int year, int month, int day, int hour = 1) => $"postgres-{new DateTime(year, month, day, hour, 0, 0).ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";

    private static IEnumerable<string> Rules(RetentionOutcome outcome) => outcome.Kept.Select(k => string.Join(", ", k.Rules));
}

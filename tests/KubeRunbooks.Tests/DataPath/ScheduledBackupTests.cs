using System.Text;
using KubeRunbooks.Backups;
using KubeRunbooks.Clusters;
using KubeRunbooks.Tests.Kubernetes.Support;

namespace KubeRunbooks.Tests.DataPath;

/// <summary>The schedule gate of a backup target read from its backup folder (<see cref="ScheduledBackup"/>).</summary>
[TestFixture]
public sealed class ScheduledBackupTests
{
    private static readonly DateTimeOffset SundaySlot = new(2026, 12, 6, 1, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Tuesday = new(2026, 12, 8, 9, 0, 0, TimeSpan.Zero);

    private string _folder = null!;
    private WeeklySchedule _schedule = null!;

    [SetUp]
    public void NewFolder()
    {
        _folder = DataPathWorld.NewFolder("scheduled");
        Assert.That(WeeklySchedule.TryParse("Sun=01:00:00;Mon=01:00:00", out var schedule, out _), Is.True);
        _schedule = schedule;
    }

    [Test]
    public async Task A_run_on_demand_has_no_gate()
    {
        await SetAsync("postgres", Tuesday.AddMinutes(-5), complete: true);

        Assert.That(ScheduledBackup.Decide(false, _schedule, new BackupStore(_folder), "postgres", Tuesday, TimeZoneInfo.Utc), Is.Null);
    }

    [Test]
    public async Task A_scheduled_run_after_a_complete_set_of_its_kind_taken_since_the_last_slot_is_skipped()
    {
        await SetAsync("postgres", SundaySlot.AddDays(1).AddMinutes(3), complete: true); // Mon 01:03, for Monday's slot

        var decision = ScheduledBackup.Decide(true, _schedule, new BackupStore(_folder), "postgres", Tuesday, TimeZoneInfo.Utc);

        Assert.That(decision!.Run, Is.False);
        Assert.That(decision.Reason, Does.StartWith("skipped").And.Contain("Mon 2026-12-07 01:03:00"));
    }

    [Test]
    public async Task Unfinished_sets_and_sets_of_another_kind_do_not_count()
    {
        await SetAsync("postgres", SundaySlot.AddMinutes(3), complete: true);              // Sun 01:03: before Monday's slot
        await SetAsync("postgres", SundaySlot.AddDays(1).AddMinutes(3), complete: false); // Mon 01:03, never completed
        await SetAsync("threescale", SundaySlot.AddDays(1).AddMinutes(4), complete: true); // another kind

        var decision = ScheduledBackup.Decide(true, _schedule, new BackupStore(_folder), "postgres", Tuesday, TimeZoneInfo.Utc);

        Assert.That(decision!.Run, Is.True);
        Assert.That(decision.Reason, Does.Contain("Mon 2026-12-07 01:00:00").And.Contain("Sun 2026-12-06 01:03:00"));
    }

    private async Task SetAsync(string kind, DateTimeOffset at, bool complete)
    {
        var set = BackupSetWriter.Create(_folder, kind, "prod", new ManualClock(at));
        await set.WriteBytesAsync(new BackupFileSpec("data.txt", BackupContent.Raw), Encoding.UTF8.GetBytes(at.ToString("O")));
        if (complete) await set.CompleteAsync();
    }
}

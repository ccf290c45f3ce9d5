using KubeRunbooks.Backups;
using KubeRunbooks.Tests.Kubernetes.Support;

namespace KubeRunbooks.Tests.DataPath;

/// <summary>Progress of long transfers: bytes and rate on a terminal at most once a second; quiet in CI and logs.</summary>
[TestFixture]
public sealed class TransferProgressTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 1, 0, 0, TimeSpan.Zero);

    [Test]
    public void The_first_report_shows_at_once_and_later_ones_at_most_once_a_second()
    {
        var clock = new ManualClock(Start);
        var terminal = new StringWriter();
        var progress = new TransferProgress("dump.sql.gz", terminal, clock);

        progress.Report(0);
        clock.Now = Start.AddMilliseconds(400);
        progress.Report(10 * 1024 * 1024); // within the second: not shown
        clock.Now = Start.AddSeconds(2);
        progress.Report(64L * 1024 * 1024);
        progress.Finish();

        Assert.That(terminal.ToString(), Is.EqualTo("\rdump.sql.gz: 0.0 MiB, 0.0 MiB/s   \rdump.sql.gz: 64.0 MiB, 32.0 MiB/s   " + Environment.NewLine));
    }

    [Test]
    public void Finish_writes_nothing_when_nothing_was_shown()
    {
        var terminal = new StringWriter();
        new TransferProgress("x", terminal, new ManualClock(Start)).Finish();
        Assert.That(terminal.ToString(), Is.Empty);
    }

    [TestCase(true, null, null, true)]
    [TestCase(false, "true", null, true)]
    [TestCase(false, null, "True", true)]
    [TestCase(false, null, null, false)]
    public void Progress_is_quiet_when_stderr_is_redirected_or_in_CI(bool redirected, string? ci, string? tfBuild, bool quiet)
    {
        var environment = new Dictionary<string, string?> { ["CI"] = ci, ["TF_BUILD"] = tfBuild };
        Assert.That(TransferProgress.IsQuiet(redirected, name => environment.GetValueOrDefault(name)), Is.EqualTo(quiet));
    }

    [Test]
    public void A_dump_under_the_test_host_shows_no_progress_because_its_stderr_is_not_a_terminal() =>
        Assert.That(TransferProgress.ForConsole("dump"), Is.Null);
}

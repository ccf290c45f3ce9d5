using KubeRunbooks.Runbooks.Ledger;

namespace KubeRunbooks.Tests.Runbooks.Kit;

/// <summary>The ledger record: product-neutral sections, its JSON, and the flat records of the first release.</summary>
[TestFixture]
public sealed class OperationRecordTests
{
    private static readonly DateTimeOffset Started = new(2026, 12, 6, 1, 2, 3, TimeSpan.Zero);

    [Test]
    public void A_record_written_by_the_first_release_stays_readable()
    {
        const string flat = """{"target":"UpgradeMinor","from":"1.30.10","to":"1.31.0","fromImage":"quay.io/vantiq/vantiq-server:1.30.10","run":"h:1:r","startedAt":"2026-12-06T01:02:03+00:00","stoppedAt":"2026-12-06T01:03:00+00:00","backupId":"mongobackup-upgrade-1"}""";

        var record = OperationRecord.Parse(flat, "statefulset vantiq/vantiq");

        Assert.Multiple(() =>
        {
            Assert.That(record.Target, Is.EqualTo("UpgradeMinor"));
            Assert.That(record.Input("from"), Is.EqualTo("1.30.10"));
            Assert.That(record.Input("fromImage"), Is.EqualTo("quay.io/vantiq/vantiq-server:1.30.10"));
            Assert.That(record.TakenOf("backupId"), Is.EqualTo("mongobackup-upgrade-1"));
            Assert.That(record.Mark("stoppedAt"), Is.EqualTo(Started.AddSeconds(57)));
            Assert.That(record.Mark("readyAt"), Is.Null);
            Assert.That(record.Describe(), Is.EqualTo("UpgradeMinor 1.30.10 -> 1.31.0 (run h:1:r, started 2026-12-06 01:02:03 UTC)"));
        });
    }

    [Test]
    public void A_record_survives_its_own_json_with_every_section()
    {
        var record = new OperationRecord { Target = "Restore", Run = "r", StartedAt = Started, Inputs = new Dictionary<string, string> { ["backup"] = "b1" } }
            .WithTaken("job", "restore-1").WithMark("stoppedAt", Started.AddMinutes(1));

        var read = OperationRecord.Parse(record.ToJson(), "x");

        Assert.Multiple(() =>
        {
            Assert.That(read.Inputs, Is.EqualTo(record.Inputs));
            Assert.That(read.Taken, Is.EqualTo(new Dictionary<string, string> { ["job"] = "restore-1" }));
            Assert.That(read.Marks, Is.EqualTo(new Dictionary<string, DateTimeOffset> { ["stoppedAt"] = Started.AddMinutes(1) }));
            Assert.That(read.StartedAt, Is.EqualTo(Started));
            Assert.That(read.Describe(), Is.EqualTo("Restore backup=b1 (run r, started 2026-12-06 01:02:03 UTC)"));
        });
    }

    [TestCase("not json")]
    [TestCase("[1,2]")]
    [TestCase("""{"target":"UpgradeMinor"}""")]
    [TestCase("""{"target":"X","run":"r","startedAt":"yesterday"}""")]
    public void A_damaged_record_is_one_line_naming_the_object(string json)
    {
        var e = Assert.Throws<InvalidDataException>(() => OperationRecord.Parse(json, "statefulset a/b"))!;

        Assert.That(e.Message, Does.Contain("kuberunbooks.io/operation on statefulset a/b is not an operation record"));
    }
}

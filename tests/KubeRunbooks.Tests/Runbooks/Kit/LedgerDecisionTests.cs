using KubeRunbooks.Runbooks.Ledger;

namespace KubeRunbooks.Tests.Runbooks.Kit;

/// <summary>What a rerun does about an unfinished operation, decided in memory.</summary>
[TestFixture]
public sealed class LedgerDecisionTests
{
    private static readonly OperationRecord Upgrade = new()
    {
        Target = "UpgradeMinor", Run = "r", StartedAt = DateTimeOffset.UnixEpoch,
        Inputs = new Dictionary<string, string> { ["from"] = "1.30.10", ["to"] = "1.31.0" },
    };

    private static readonly Dictionary<string, string> None = new();

    [Test]
    public void Nothing_recorded_opens() =>
        Assert.That(LedgerDecision.Decide(null, "UpgradeMinor", None, fresh: false, mayReplace: false), Is.EqualTo(new LedgerDecision(LedgerAction.Open, null)));

    [TestCase("UpgradeMinor")]
    [TestCase("upgrademinor")]
    public void The_same_target_resumes_whatever_its_spelling(string target)
    {
        var decision = LedgerDecision.Decide(Upgrade, target, None, fresh: false, mayReplace: false);

        Assert.That((decision.Action, decision.Resumed), Is.EqualTo((LedgerAction.Resume, Upgrade)));
    }

    [Test]
    public void The_same_target_with_other_inputs_is_another_operation_and_refused()
    {
        var decision = LedgerDecision.Decide(Upgrade, "UpgradeMinor", new Dictionary<string, string> { ["to"] = "1.32.0" }, fresh: false, mayReplace: false);

        Assert.That((decision.Action, decision.Resumed), Is.EqualTo((LedgerAction.Refuse, (OperationRecord?)null)));
    }

    [Test]
    public void The_same_target_with_the_same_inputs_resumes() =>
        Assert.That(LedgerDecision.Decide(Upgrade, "UpgradeMinor", new Dictionary<string, string> { ["to"] = "1.31.0" }, false, false).Action, Is.EqualTo(LedgerAction.Resume));

    [Test]
    public void Another_target_is_refused_unless_it_may_replace_it()
    {
        Assert.That(LedgerDecision.Decide(Upgrade, "MongoBackup", None, false, mayReplace: false).Action, Is.EqualTo(LedgerAction.Refuse));
        var rollback = LedgerDecision.Decide(Upgrade, "RollbackMinor", None, false, mayReplace: true);
        Assert.That((rollback.Action, rollback.Unfinished, rollback.Resumed), Is.EqualTo((LedgerAction.Replace, Upgrade, (OperationRecord?)null)));
    }

    [Test]
    public void Fresh_opens_a_new_one_and_keeps_what_it_found()
    {
        var decision = LedgerDecision.Decide(Upgrade, "MongoBackup", None, fresh: true, mayReplace: false);

        Assert.That((decision.Action, decision.Unfinished, decision.Resumed), Is.EqualTo((LedgerAction.Open, Upgrade, (OperationRecord?)null)));
    }
}

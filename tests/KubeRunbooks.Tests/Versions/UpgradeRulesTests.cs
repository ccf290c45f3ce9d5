using KubeRunbooks.Errors;
using KubeRunbooks.Versions;

namespace KubeRunbooks.Tests.Versions;

[TestFixture]
public class UpgradeRulesTests
{
    private static readonly UpgradeRules Rules = new();

    private static ProductVersion V(string text) => ProductVersion.Parse(text);

    [Test]
    public void Minor_upgrade_accepts_a_minor_bump()
    {
        Assert.That(Rules.RequireMinorUpgrade(V("1.30.10"), V("1.31.0")), Is.EqualTo(VersionChange.MinorUpgrade));
    }

    [Test]
    public void Minor_upgrade_refuses_a_patch_bump_and_names_UpgradePatch()
    {
        var e = Assert.Throws<InvalidInputException>(() => Rules.RequireMinorUpgrade(V("1.30.10"), V("1.30.11")));
        Assert.That(e!.Message, Is.EqualTo("1.30.11 is a patch upgrade from 1.30.10: use --target=UpgradePatch."));
    }

    [Test]
    public void Minor_upgrade_refuses_a_downgrade_and_names_RollbackMinor()
    {
        var e = Assert.Throws<InvalidInputException>(() => Rules.RequireMinorUpgrade(V("1.31.0"), V("1.30.10")));
        Assert.That(e!.Message, Does.StartWith("1.30.10 is a downgrade from 1.31.0: use --target=RollbackMinor"));
    }

    [Test]
    public void Minor_upgrade_refuses_the_same_version_and_a_major_change()
    {
        Assert.That(Assert.Throws<InvalidInputException>(() => Rules.RequireMinorUpgrade(V("1.30.10"), V("1.30.10")))!.Message,
            Does.Contain("already the current version"));
        Assert.That(Assert.Throws<InvalidInputException>(() => Rules.RequireMinorUpgrade(V("1.30.10"), V("2.0.0")))!.Message,
            Does.Contain("major upgrade"));
    }

    [Test]
    public void Patch_upgrade_accepts_a_patch_bump()
    {
        Assert.That(Rules.RequirePatchUpgrade(V("1.30.10"), V("1.30.11")), Is.EqualTo(VersionChange.PatchUpgrade));
    }

    [Test]
    public void Patch_upgrade_refuses_a_minor_bump_and_names_UpgradeMinor()
    {
        var e = Assert.Throws<InvalidInputException>(() => Rules.RequirePatchUpgrade(V("1.30.10"), V("1.31.0")));
        Assert.That(e!.Message, Is.EqualTo("1.31.0 is a minor upgrade from 1.30.10: use --target=UpgradeMinor."));
    }

    [Test]
    public void Patch_upgrade_refuses_a_patch_downgrade_and_names_RollbackPatch()
    {
        var e = Assert.Throws<InvalidInputException>(() => Rules.RequirePatchUpgrade(V("1.30.11"), V("1.30.10")));
        Assert.That(e!.Message, Does.Contain("--target=RollbackPatch"));
    }

    [Test]
    public void Target_names_come_from_the_rules_not_from_the_code()
    {
        var rules = new UpgradeRules(MinorTarget: "MinorUp", PatchTarget: "PatchUp");
        var e = Assert.Throws<InvalidInputException>(() => rules.RequireMinorUpgrade(V("3.1.0"), V("3.1.1")));
        Assert.That(e!.Message, Does.EndWith("use --target=PatchUp."));
    }
}

using System.Diagnostics;
using KubeRunbooks.Kubernetes.Locking;

namespace KubeRunbooks.Tests.Kubernetes.Locking;

public sealed class RunIdentityTests
{
    [Test]
    public void The_identity_names_this_machine_process_and_run()
    {
        Assert.That(RunIdentity.ForThisProcess("20261202-010000-UpgradeMinor"),
            Is.EqualTo($"{Environment.MachineName}:{Environment.ProcessId}:20261202-010000-UpgradeMinor"));
    }

    [Test]
    public void A_live_process_of_this_machine_is_not_gone()
    {
        using var sleeper = Process.Start("sleep", "30")!;
        try
        {
            Assert.That(RunIdentity.IsGoneOnThisMachine($"{Environment.MachineName}:{sleeper.Id}:run"), Is.False);
            Assert.That(RunIdentity.IsGoneOnThisMachine(RunIdentity.ForThisProcess("run")), Is.False);
        }
        finally
        {
            sleeper.Kill();
        }
    }

    [Test]
    public void An_ended_process_of_this_machine_is_gone()
    {
        using var ended = Process.Start("true")!;
        ended.WaitForExit();
        Assert.That(RunIdentity.IsGoneOnThisMachine($"{Environment.MachineName}:{ended.Id}:run"), Is.True);
    }

    [TestCase("other-host:1:run")]
    [TestCase("run-A")]
    [TestCase("")]
    public void Another_machine_or_another_format_is_never_judged_gone(string holder)
    {
        Assert.That(RunIdentity.IsGoneOnThisMachine(holder.Replace("other-host", "surely-not-" + Environment.MachineName)), Is.False);
    }
}

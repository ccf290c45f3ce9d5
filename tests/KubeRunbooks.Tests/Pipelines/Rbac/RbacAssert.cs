using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Pipelines.Rbac;

/// <summary>What a run with a least-privilege account must show: passing with its role, or refused before any change.</summary>
internal static class RbacAssert
{
    /// <summary>Exit 0, and not one request of the account refused (the role is enough, not merely tolerated).</summary>
    public static void Passed(HostRun run, RbacAccount account, int mark)
    {
        Assert.That(run.ExitCode, Is.Zero, $"{run.Output}{run.Error}\nrefused:\n{account.Refused(mark)}");
        Assert.That(account.Refused(mark), Is.Empty, "no request of the account was refused");
        Assert.That(account.Requests(mark), Is.Not.Empty, "the run went through the account");
        // What the run asked, in the test's output: how a manifest's rules are checked against what a target uses.
        TestContext.Out.WriteLine($"The account asked:\n{account.Asked(mark)}");
    }

    /// <summary>
    /// Exit 2 with exactly one line naming the target, the missing permission and the manifest; the account wrote
    /// nothing, and no request but the access reviews reached the cluster's resources.
    /// </summary>
    public static void Refused(HostRun run, string target, string manifest, string permission, RbacAccount account, int mark)
    {
        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            $"error: {target} needs permission to {permission}, which this account does not have; grant rbac/{manifest}. Nothing was changed.",
        }), run.Error);
        Assert.That(account.Writes(mark), Is.Empty, "the account wrote nothing");
        Assert.That(account.Requests(mark), Is.Empty, "refused before its first request to a resource: only access reviews were sent");
    }
}

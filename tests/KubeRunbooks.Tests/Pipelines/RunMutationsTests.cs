namespace KubeRunbooks.Tests.Pipelines;

/// <summary>
/// Which tasks of a run change the cluster, decided from the targets' graph and <c>IPlannedMutations</c>, through
/// the real host in-process: a new target is covered by its steps without declaring anything.
/// </summary>
[TestFixture]
public sealed class RunMutationsTests
{
    private const string Tasks = "KubeRunbooks.Tests.Pipelines.Scenarios.Mutations";

    [Test]
    public void A_target_made_of_read_only_steps_changes_nothing()
    {
        var outcome = Frosting.HostHarness.Run(Tasks, ["--target=ReadTarget"]);
        Assert.That(outcome.ExitCode, Is.EqualTo(0), outcome.Out + outcome.Error);
        Assert.That(outcome.Journal.Entries, Is.EqualTo(new[] { "changes: " }));
    }

    [Test]
    public void A_target_with_a_changing_step_lists_it()
    {
        var outcome = Frosting.HostHarness.Run(Tasks, ["--target=changetarget"]);
        Assert.That(outcome.ExitCode, Is.EqualTo(0), outcome.Out + outcome.Error);
        Assert.That(outcome.Journal.Entries, Is.EqualTo(new[] { "changes: ChangeStep" }));
    }

    [Test]
    public void A_step_that_joins_a_target_from_its_own_side_is_counted()
    {
        var outcome = Frosting.HostHarness.Run(Tasks, ["--target=LateTarget"]);
        Assert.That(outcome.ExitCode, Is.EqualTo(0), outcome.Out + outcome.Error);
        Assert.That(outcome.Journal.Entries, Is.EqualTo(new[] { "changes: LateChange" }));
    }

    [Test]
    public void Several_targets_are_counted_together()
    {
        var outcome = Frosting.HostHarness.Run(Tasks, ["--target=ReadTarget", "--target=ChangeTarget"]);
        Assert.That(outcome.ExitCode, Is.EqualTo(0), outcome.Out + outcome.Error);
        Assert.That(outcome.Journal.Entries, Is.EqualTo(new[] { "changes: ChangeStep" }));
    }
}

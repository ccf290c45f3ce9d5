namespace KubeRunbooks.Tests.Frosting;

[TestFixture]
[NonParallelizable]
public sealed class OrderingTests
{
    private const string Tasks = "KubeRunbooks.Tests.Frosting.Scenarios.Ordering";

    [Test]
    public void DefaultTargetRunsDependenciesInOrderAndSkipsByCriteria()
    {
        var outcome = HostHarness.Run(Tasks, []);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.Zero, outcome.Out + outcome.Error);
            Assert.That(outcome.Journal.Entries, Is.EqualTo(new[] { "Lint", "Clean", "Compile", "Test-Suite", "Default" }));
            Assert.That(outcome.Error, Is.Empty);
        });
    }

    [Test]
    public void CriteriaThatHoldRunsTheTask()
    {
        var outcome = HostHarness.Run(Tasks, ["--publish"]);

        Assert.That(outcome.Journal.Entries, Does.Contain("Publish"));
    }

    [Test]
    public void TargetNamesIgnoreCaseAndTaskNameAttributeNamesTheTask()
    {
        var outcome = HostHarness.Run(Tasks, ["--target", "test-suite"]);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.Zero);
            Assert.That(outcome.Journal.Entries, Is.EqualTo(new[] { "Lint", "Clean", "Compile", "Test-Suite" }));
        });
    }

    [Test]
    public void ExclusiveRunsOnlyTheTarget()
    {
        var outcome = HostHarness.Run(Tasks, ["--target=Compile", "--exclusive"]);

        Assert.That(outcome.Journal.Entries, Is.EqualTo(new[] { "Compile" }));
    }

    [Test]
    public void ShortExclusiveOptionWorksToo()
    {
        var outcome = HostHarness.Run(Tasks, ["-t", "Test-Suite", "-e"]);

        Assert.That(outcome.Journal.Entries, Is.EqualTo(new[] { "Test-Suite" }));
    }

    [Test]
    public void SeveralTargetsRunEachTaskOnce()
    {
        var outcome = HostHarness.Run(Tasks, ["--target=Lint", "--target=Compile"]);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.Zero);
            Assert.That(outcome.Journal.Entries, Is.EquivalentTo(new[] { "Lint", "Clean", "Compile" }));
        });
    }

    [TestCase("--dryrun")]
    [TestCase("--noop")]
    [TestCase("--whatif")]
    public void DryRunRunsNoBodyAndPrintsPlannedMutationsUnderEachTask(string option)
    {
        var outcome = HostHarness.Run(Tasks, [option]);

        var lines = outcome.OutLines;
        var compile = Array.FindIndex(lines, l => l.EndsWith(". Compile", StringComparison.Ordinal));
        var lint = Array.FindIndex(lines, l => l.EndsWith(". Lint", StringComparison.Ordinal));
        var last = Array.FindIndex(lines, l => l.EndsWith(". Default", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.Zero, outcome.Out + outcome.Error);
            Assert.That(outcome.Journal.Entries, Is.EqualTo(new[] { "planned Compile" }), "no task body may run");
            Assert.That(compile, Is.GreaterThanOrEqualTo(0), outcome.Out);
            Assert.That(lines[compile + 1], Is.EqualTo("   - scale statefulset/vantiq to 0"));
            Assert.That(lines[compile + 2], Is.EqualTo("   - delete pod vantiq-0"));
            Assert.That(lint, Is.LessThan(compile));
            Assert.That(lines[compile + 3], Does.EndWith(". Test-Suite"));
            Assert.That(lines[last + 1], Is.EqualTo("   - restart deployment/web"));
        });
    }

    [Test]
    public void DryRunPrintsNoMutationsOfASkippedTask()
    {
        var outcome = HostHarness.Run(Tasks, ["--dryrun"]);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.Zero, outcome.Error);
            Assert.That(outcome.Out, Does.Contain(". Default").And.Not.Contain(". Publish").And.Not.Contain("push the package"));
        });
    }

    [Test]
    public void DryRunOfACriteriaTaskThatHoldsPrintsItsMutations()
    {
        var outcome = HostHarness.Run(Tasks, ["--dryrun", "--publish"]);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Out, Does.Contain(". Publish").And.Contain("   - push the package"));
            Assert.That(outcome.Journal.Entries, Does.Not.Contain("Publish"));
        });
    }

    [Test]
    public void TreeShowsTheDependencyTreeAndRunsNothing()
    {
        var outcome = HostHarness.Run(Tasks, ["--tree"]);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.Zero);
            Assert.That(outcome.Journal.Entries, Is.Empty);
            Assert.That(outcome.Out, Does.Contain("Default").And.Contain("Publish").And.Contain("Test-Suite").And.Contain("Clean"));
        });
    }

    [Test]
    public void DescriptionListsTasksWithTheirDescriptions()
    {
        var outcome = HostHarness.Run(Tasks, ["--description"]);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.Zero);
            Assert.That(outcome.Journal.Entries, Is.Empty);
            Assert.That(outcome.Out, Does.Contain("Compiles everything").And.Contain("Runs the whole pipeline"));
        });
    }
}

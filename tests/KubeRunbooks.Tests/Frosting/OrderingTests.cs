namespace KubeRunbooks.Tests.Frosting;

[TestFixture]
[NonParallelizable]
public sealed class OrderingTests
{
    private const string Tasks = "KubeRunbooks.Tests.Frosting.Scenarios.Ordering";

    [Test]
    public void Default_target_runs_dependencies_in_order_and_skips_by_criteria()
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
    public void Criteria_that_hold_runs_the_task()
    {
        var outcome = HostHarness.Run(Tasks, ["--publish"]);

        Assert.That(outcome.Journal.Entries, Does.Contain("Publish"));
    }

    [Test]
    public void Target_names_ignore_case_and_task_name_attribute_names_the_task()
    {
        var outcome = HostHarness.Run(Tasks, ["--target", "test-suite"]);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.Zero);
            Assert.That(outcome.Journal.Entries, Is.EqualTo(new[] { "Lint", "Clean", "Compile", "Test-Suite" }));
        });
    }

    [Test]
    public void Exclusive_runs_only_the_target()
    {
        var outcome = HostHarness.Run(Tasks, ["--target=Compile", "--exclusive"]);

        Assert.That(outcome.Journal.Entries, Is.EqualTo(new[] { "Compile" }));
    }

    [Test]
    public void Short_exclusive_option_works_too()
    {
        var outcome = HostHarness.Run(Tasks, ["-t", "Test-Suite", "-e"]);

        Assert.That(outcome.Journal.Entries, Is.EqualTo(new[] { "Test-Suite" }));
    }

    [Test]
    public void Several_targets_run_each_task_once()
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
    public void Dry_run_runs_no_body_and_prints_planned_mutations_under_each_task(string option)
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
    public void Dry_run_prints_no_mutations_of_a_skipped_task()
    {
        var outcome = HostHarness.Run(Tasks, ["--dryrun"]);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.Zero, outcome.Error);
            Assert.That(outcome.Out, Does.Contain(". Default").And.Not.Contain(". Publish").And.Not.Contain("push the package"));
        });
    }

    [Test]
    public void Dry_run_of_a_criteria_task_that_holds_prints_its_mutations()
    {
        var outcome = HostHarness.Run(Tasks, ["--dryrun", "--publish"]);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Out, Does.Contain(". Publish").And.Contain("   - push the package"));
            Assert.That(outcome.Journal.Entries, Does.Not.Contain("Publish"));
        });
    }

    [Test]
    public void Tree_shows_the_dependency_tree_and_runs_nothing()
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
    public void Description_lists_tasks_with_their_descriptions()
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

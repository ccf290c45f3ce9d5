using Cake.Frosting;
using KubeRunbooks.Errors;
using KubeRunbooks.Tests.Frosting.Scenarios.Contexts;
using Microsoft.Extensions.DependencyInjection;

namespace KubeRunbooks.Tests.Frosting;

[TestFixture]
[NonParallelizable]
public sealed class ArgumentAndContextTests
{
    private const string ArgumentTasks = "KubeRunbooks.Tests.Frosting.Scenarios.Arguments";
    private const string ContextTasks = "KubeRunbooks.Tests.Frosting.Scenarios.Contexts";

    [Test]
    public void Other_options_reach_context_arguments()
    {
        var outcome = HostHarness.Run(ArgumentTasks, ["--cluster=x", "--flag", "--foo", "bar", "--tag=a", "--tag=b"]);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.Zero, outcome.Error);
            Assert.That(outcome.Journal.Entries, Does.Contain("cluster=x"));
            Assert.That(outcome.Journal.Entries.Single(e => e.StartsWith("flag=", StringComparison.Ordinal)), Is.Not.EqualTo("flag=<none>"));
            Assert.That(outcome.Journal.Entries, Does.Contain("foo=bar"));
            Assert.That(outcome.Journal.Entries, Does.Contain("tag=a,b"));
            Assert.That(outcome.Journal.Entries, Does.Contain("absent=<none>"));
        });
    }

    [Test]
    public void Argument_keys_ignore_case()
    {
        var outcome = HostHarness.Run(ArgumentTasks, ["--CLUSTER=prod-tokyo"]);

        Assert.That(outcome.Journal.Entries, Does.Contain("cluster=prod-tokyo"));
    }

    [Test]
    public void Host_options_do_not_leak_into_arguments_as_other_keys()
    {
        var outcome = HostHarness.Run(ArgumentTasks, ["--verbosity=quiet", "--cluster", "y"]);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.Zero);
            Assert.That(outcome.Journal.Entries, Does.Contain("cluster=y"));
            Assert.That(outcome.Out, Does.Not.Contain("═"), "quiet prints no task headers");
        });
    }

    [Test]
    public void Context_is_built_through_dependency_injection_and_given_to_tasks_and_lifetimes()
    {
        var outcome = HostHarness.Run(ContextTasks, ["--cluster=prod-tokyo"],
            host => host.UseContext<RunbookTestContext>().UseLifetime<Lifetime>());

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.Zero, outcome.Error);
            Assert.That(outcome.Journal.Entries, Is.EqualTo(new[] { "context built", "setup on prod-tokyo", "cluster prod-tokyo", "teardown on prod-tokyo" }));
        });
    }

    [Test]
    public void Task_for_another_context_type_is_skipped()
    {
        var outcome = HostHarness.Run(ContextTasks, [], host => host.UseContext<RunbookTestContext>());

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Journal.Entries, Does.Not.Contain("Mismatched"));
            Assert.That(outcome.Journal.Entries, Does.Contain("cluster local"));
        });
    }

    [Test]
    public void Bad_input_while_building_the_context_exits_two_with_one_line()
    {
        var outcome = HostHarness.Run(ContextTasks, ["--bad-profile"], host => host.UseContext<RunbookTestContext>());

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.EqualTo((int)ExitCode.InvalidInput));
            Assert.That(outcome.Error, Is.EqualTo("error: No cluster profile named 'nope'; known: local." + Environment.NewLine));
            Assert.That(outcome.Journal.Entries, Is.Empty);
        });
    }

    [Test]
    public void Listener_can_use_the_context()
    {
        var outcome = HostHarness.Run(ContextTasks, ["--cluster=c1"], host => host
            .UseContext<RunbookTestContext>()
            .ConfigureServices(s => s.AddSingleton<KubeRunbooks.Frosting.IRunListener, ContextListener>()));

        Assert.That(outcome.Journal.Entries[^1], Is.EqualTo("listener: c1 Success"));
    }

    [Test]
    public void Listener_needing_a_broken_context_keeps_the_error_to_one_line()
    {
        var outcome = HostHarness.Run(ContextTasks, ["--bad-profile"], host => host
            .UseContext<RunbookTestContext>()
            .ConfigureServices(s => s.AddSingleton<KubeRunbooks.Frosting.IRunListener, ContextListener>()));

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.EqualTo((int)ExitCode.InvalidInput));
            Assert.That(outcome.ErrorLines, Is.EqualTo(new[] { "error: No cluster profile named 'nope'; known: local." }));
        });
    }

    [Test]
    public void Bad_input_while_building_the_context_also_stops_a_dry_run()
    {
        var outcome = HostHarness.Run(ContextTasks, ["--bad-profile", "--dryrun"], host => host.UseContext<RunbookTestContext>());

        Assert.That(outcome.ExitCode, Is.EqualTo((int)ExitCode.InvalidInput));
    }

    [TestCase("--tree")]
    [TestCase("--description")]
    public void Tree_and_description_never_build_the_context(string option)
    {
        var outcome = HostHarness.Run(ContextTasks, ["--bad-profile", option], host => host.UseContext<RunbookTestContext>());

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.Zero, outcome.Error);
            Assert.That(outcome.Journal.Entries, Is.Empty);
            Assert.That(outcome.Out, Does.Contain("Default"));
        });
    }

    [Test]
    public void Duplicate_task_names_fail_with_frostings_message()
    {
        var outcome = HostHarness.Run("KubeRunbooks.Tests.Frosting.Scenarios.Duplicate", ["--target=Same"]);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.EqualTo((int)ExitCode.StepFailed));
            Assert.That(outcome.Error, Does.Contain("Another task with the name 'same' has already been added."));
        });
    }

    [Test]
    public void Dependency_that_is_not_a_task_fails_with_frostings_message()
    {
        var outcome = HostHarness.Run("KubeRunbooks.Tests.Frosting.Scenarios.InvalidDependency", []);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.EqualTo((int)ExitCode.StepFailed));
            Assert.That(outcome.Error, Does.Contain("The dependency 'String' is not a valid task."));
        });
    }
}

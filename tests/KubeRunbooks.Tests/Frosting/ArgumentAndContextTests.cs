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
    public void OtherOptionsReachContextArguments()
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
    public void ArgumentKeysIgnoreCase()
    {
        var outcome = HostHarness.Run(ArgumentTasks, ["--CLUSTER=prod-tokyo"]);

        Assert.That(outcome.Journal.Entries, Does.Contain("cluster=prod-tokyo"));
    }

    [Test]
    public void HostOptionsDoNotLeakIntoArgumentsAsOtherKeys()
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
    public void ContextIsBuiltThroughDependencyInjectionAndGivenToTasksAndLifetimes()
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
    public void TaskForAnotherContextTypeIsSkipped()
    {
        var outcome = HostHarness.Run(ContextTasks, [], host => host.UseContext<RunbookTestContext>());

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Journal.Entries, Does.Not.Contain("Mismatched"));
            Assert.That(outcome.Journal.Entries, Does.Contain("cluster local"));
        });
    }

    [Test]
    public void BadInputWhileBuildingTheContextExitsTwoWithOneLine()
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
    public void ListenerCanUseTheContext()
    {
        var outcome = HostHarness.Run(ContextTasks, ["--cluster=c1"], host => host
            .UseContext<RunbookTestContext>()
            .ConfigureServices(s => s.AddSingleton<KubeRunbooks.Frosting.IRunListener, ContextListener>()));

        Assert.That(outcome.Journal.Entries[^1], Is.EqualTo("listener: c1 Success"));
    }

    [Test]
    public void ListenerNeedingABrokenContextKeepsTheErrorToOneLine()
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
    public void BadInputWhileBuildingTheContextAlsoStopsADryRun()
    {
        var outcome = HostHarness.Run(ContextTasks, ["--bad-profile", "--dryrun"], host => host.UseContext<RunbookTestContext>());

        Assert.That(outcome.ExitCode, Is.EqualTo((int)ExitCode.InvalidInput));
    }

    [TestCase("--tree")]
    [TestCase("--description")]
    public void TreeAndDescriptionNeverBuildTheContext(string option)
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
    public void DuplicateTaskNamesFailWithFrostingsMessage()
    {
        var outcome = HostHarness.Run("KubeRunbooks.Tests.Frosting.Scenarios.Duplicate", ["--target=Same"]);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.EqualTo((int)ExitCode.StepFailed));
            Assert.That(outcome.Error, Does.Contain("Another task with the name 'same' has already been added."));
        });
    }

    [Test]
    public void DependencyThatIsNotATaskFailsWithFrostingsMessage()
    {
        var outcome = HostHarness.Run("KubeRunbooks.Tests.Frosting.Scenarios.InvalidDependency", []);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.EqualTo((int)ExitCode.StepFailed));
            Assert.That(outcome.Error, Does.Contain("The dependency 'String' is not a valid task."));
        });
    }
}

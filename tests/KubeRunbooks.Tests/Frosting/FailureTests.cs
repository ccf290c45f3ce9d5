using Cake.Core;
using Cake.Frosting;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;
using Microsoft.Extensions.DependencyInjection;

namespace KubeRunbooks.Tests.Frosting;

[TestFixture]
[NonParallelizable]
public sealed class FailureTests
{
    private const string Tasks = "KubeRunbooks.Tests.Frosting.Scenarios.Failing";

    private static HostOutcome Run(params string[] args)
        => HostHarness.Run(Tasks, args, host => host.UseLifetime<Scenarios.Failing.RunLifetime>());

    [Test]
    public void Success_exits_zero_with_setup_and_teardown_around_the_tasks()
    {
        var outcome = Run();

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.EqualTo((int)ExitCode.Success));
            Assert.That(outcome.Journal.Entries, Is.EqualTo(new[] { "Setup", "Prepare", "Step", "Finally Step", "Optional", "Recovering", "Default", "Teardown" }));
            Assert.That(outcome.Error, Is.Empty);
        });
    }

    [Test]
    public void Failed_task_exits_one_runs_finally_and_teardown_and_names_the_task_last()
    {
        var outcome = Run("--step=boom");

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.EqualTo((int)ExitCode.StepFailed));
            Assert.That(outcome.Journal.Entries, Is.EqualTo(new[] { "Setup", "Prepare", "Step", "Finally Step", "Teardown" }));
            Assert.That(outcome.Error, Does.Contain("step: disk full on node-3"));
            Assert.That(outcome.ErrorLines[^1], Is.EqualTo("Task 'Step' failed."));
        });
    }

    [Test]
    public void On_error_handles_the_failure_as_in_cake_and_the_run_goes_on()
    {
        var outcome = Run("--recovering=boom");

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.EqualTo((int)ExitCode.Success), outcome.Error);
            Assert.That(outcome.Journal.Entries, Is.EqualTo(new[] { "Setup", "Prepare", "Step", "Finally Step", "Optional", "Recovering", "OnError recovering: disk full on node-3", "Default", "Teardown" }));
        });
    }

    [Test]
    public void On_error_that_rethrows_fails_the_run()
    {
        var outcome = Run("--recovering=boom", "--rethrow");

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.EqualTo((int)ExitCode.StepFailed));
            Assert.That(outcome.Journal.Entries, Does.Contain("OnError recovering: disk full on node-3").And.Not.Contain("Default"));
            Assert.That(outcome.ErrorLines[^1], Is.EqualTo("Task 'Recovering' failed."));
        });
    }

    [Test]
    public void On_error_that_rethrows_a_bad_input_exits_two()
    {
        var outcome = Run("--recovering=invalid", "--rethrow");

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.EqualTo((int)ExitCode.InvalidInput));
            Assert.That(outcome.ErrorLines, Is.EqualTo(new[] { "error: recovering: unknown profile 'prod-x'" }));
        });
    }

    [Test]
    public void A_handled_bad_input_does_not_hide_a_later_failure()
    {
        var outcome = Run("--optional=invalid", "--recovering=boom", "--rethrow");

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.EqualTo((int)ExitCode.StepFailed));
            Assert.That(outcome.Error, Does.Contain("recovering: disk full on node-3"));
            Assert.That(outcome.ErrorLines[^1], Is.EqualTo("Task 'Recovering' failed."));
        });
    }

    [Test]
    public void Only_a_continue_on_error_task_failing_still_exits_zero()
    {
        var outcome = Run("--optional=boom");

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.EqualTo((int)ExitCode.Success), outcome.Error);
            Assert.That(outcome.Journal.Entries, Does.Contain("Default"));
        });
    }

    [TestCase("--step=invalid", "error: step: unknown profile 'prod-x'", ExitCode.InvalidInput)]
    [TestCase("--step=wrapped", "error: step: wrapped bad input", ExitCode.InvalidInput)]
    [TestCase("--setup=invalid", "error: setup: unknown profile 'prod-x'", ExitCode.InvalidInput)]
    [TestCase("--step=lock", "error: step: cluster prod is locked by ci-42 until 02:00", ExitCode.LockHeld)]
    [TestCase("--setup=lock", "error: setup: cluster prod is locked by ci-42 until 02:00", ExitCode.LockHeld)]
    public void User_errors_exit_with_their_code_and_exactly_one_line_on_stderr(string option, string line, ExitCode code)
    {
        var outcome = Run(option);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.EqualTo((int)code));
            Assert.That(outcome.Error, Is.EqualTo(line + Environment.NewLine));
            Assert.That(outcome.Out, Does.Not.Contain(" at "), "no stack trace");
            Assert.That(outcome.Journal.Entries, Does.Not.Contain("Default"));
            Assert.That(outcome.Journal.Entries, Does.Contain("Teardown"), "Cake still tears down");
        });
    }

    [Test]
    public void Dry_run_with_bad_input_while_planning_exits_two_with_one_line()
    {
        var outcome = Run("--dryrun", "--plan=invalid");

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.EqualTo((int)ExitCode.InvalidInput));
            Assert.That(outcome.ErrorLines, Is.EqualTo(new[] { "error: plan: unknown profile 'prod-x'" }));
            Assert.That(outcome.Journal.Entries, Does.Not.Contain("Prepare").And.Not.Contain("Step"), "a dry run runs no body");
        });
    }

    [Test]
    public void Dry_run_runs_lifetimes_as_cake_does_and_tells_them_it_is_a_dry_run()
    {
        var outcome = HostHarness.Run(Tasks, ["--dryrun"], host => host.UseSetup<Scenarios.Failing.ModeSetup>());

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.Zero, outcome.Error);
            Assert.That(outcome.Journal.Entries, Is.EqualTo(new[] { "dry run: True" }));
            Assert.That(outcome.Out, Does.Contain("   - scale statefulset/step to 0"));
        });
    }

    [Test]
    public void Normal_run_is_not_a_dry_run()
    {
        var outcome = HostHarness.Run(Tasks, [], host => host.UseSetup<Scenarios.Failing.ModeSetup>());

        Assert.That(outcome.Journal.Entries[0], Is.EqualTo("dry run: False"));
    }

    [Test]
    public void Dry_run_whose_planning_fails_exits_one_naming_the_task()
    {
        var outcome = Run("--dryrun", "--plan=boom");

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.EqualTo((int)ExitCode.StepFailed));
            Assert.That(outcome.Error, Does.Contain("plan: disk full on node-3"));
            Assert.That(outcome.ErrorLines[^1], Is.EqualTo("Task 'Step' failed."));
        });
    }

    [Test]
    public void User_error_in_a_continue_on_error_task_does_not_fail_the_run()
    {
        var outcome = Run("--optional=invalid");

        Assert.That(outcome.ExitCode, Is.EqualTo((int)ExitCode.Success));
    }

    [TestCase("--verbosity=loud")]
    [TestCase("--target")]
    public void Command_line_parse_error_exits_two_with_one_line(string option)
    {
        var outcome = Run(option);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.EqualTo((int)ExitCode.InvalidInput));
            Assert.That(outcome.ErrorLines, Has.Length.EqualTo(1));
            Assert.That(outcome.ErrorLines[0], Does.StartWith("error: "));
            Assert.That(outcome.Journal.Entries, Is.Empty);
        });
    }

    [Test]
    public void Unknown_target_exits_two_and_runs_nothing()
    {
        var outcome = Run("--target=Nope");

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.EqualTo((int)ExitCode.InvalidInput));
            Assert.That(outcome.Error, Is.EqualTo("error: The target 'Nope' was not found; known targets: Default, Optional, Prepare, Recovering, Step." + Environment.NewLine));
            Assert.That(outcome.Journal.Entries, Is.Empty);
        });
    }

    [Test]
    public void Missing_working_directory_exits_two()
    {
        var outcome = Run("--working=/no/such/folder/anywhere");

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.EqualTo((int)ExitCode.InvalidInput));
            Assert.That(outcome.ErrorLines, Is.EqualTo(new[] { "error: The working directory '/no/such/folder/anywhere' does not exist." }));
        });
    }

    [TestCase("--help")]
    [TestCase("-h")]
    [TestCase("--version")]
    [TestCase("--info")]
    public void Help_version_and_info_exit_zero_and_run_nothing(string option)
    {
        var outcome = Run(option);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.Zero);
            Assert.That(outcome.Out, Is.Not.Empty);
            Assert.That(outcome.Journal.Entries, Is.Empty);
        });
    }

    [Test]
    public void Help_lists_the_host_options()
    {
        var outcome = Run("--help");

        Assert.That(outcome.Out, Does.Contain("--target").And.Contain("--dryrun").And.Contain("--exclusive").And.Contain("--verbosity"));
    }

    [Test]
    public void Task_lifetime_runs_around_each_task()
    {
        var outcome = HostHarness.Run(Tasks, ["--target=Step"], host => host.UseTaskLifetime<Scenarios.Failing.PerTask>());

        Assert.That(outcome.Journal.Entries, Is.EqualTo(new[] { "before Prepare", "Prepare", "after Prepare", "before Step", "Step", "Finally Step", "after Step" }));
    }

    [Test]
    public void Listener_hears_of_a_successful_run_with_cakes_report()
    {
        var listener = new RecordingListener();
        var outcome = HostHarness.Run(Tasks, [], host => host.ConfigureServices(s => s.AddSingleton<IRunListener>(listener)));

        var result = listener.Results.Single();
        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.Zero);
            Assert.That(result.ExitCode, Is.EqualTo(ExitCode.Success));
            Assert.That(result.Targets, Is.EqualTo(new[] { "Default" }));
            Assert.That(result.IsDryRun, Is.False);
            Assert.That(result.Exception, Is.Null);
            Assert.That(result.FailedTask, Is.Null);
            Assert.That(result.FinishedAt, Is.GreaterThanOrEqualTo(result.StartedAt));
            Assert.That(result.Report.Select(e => e.TaskName), Is.EqualTo(new[] { "Prepare", "Step", "Optional", "Recovering", "Default" }));
            Assert.That(result.Report.All(e => e.ExecutionStatus == CakeTaskExecutionStatus.Executed), Is.True);
        });
    }

    [Test]
    public void Listener_hears_of_a_failed_run_with_the_failed_task_and_partial_report()
    {
        var listener = new RecordingListener();
        HostHarness.Run(Tasks, ["--step=boom"], host => host.ConfigureServices(s => s.AddSingleton<IRunListener>(listener)));

        var result = listener.Results.Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(ExitCode.StepFailed));
            Assert.That(result.FailedTask, Is.EqualTo("Step"));
            Assert.That(result.Exception, Is.TypeOf<InvalidOperationException>());
            Assert.That(result.Report.Select(e => (e.TaskName, e.ExecutionStatus)), Is.EqualTo(new[]
            {
                ("Prepare", CakeTaskExecutionStatus.Executed),
                ("Step", CakeTaskExecutionStatus.Failed),
            }));
        });
    }

    [Test]
    public void Listener_hears_of_a_dry_run_and_of_a_user_error()
    {
        var listener = new RecordingListener();
        HostHarness.Run(Tasks, ["--dryrun"], host => host.ConfigureServices(s => s.AddSingleton<IRunListener>(listener)));
        HostHarness.Run(Tasks, ["--step=lock"], host => host.ConfigureServices(s => s.AddSingleton<IRunListener>(listener)));

        Assert.Multiple(() =>
        {
            Assert.That(listener.Results, Has.Count.EqualTo(2));
            Assert.That(listener.Results[0].IsDryRun, Is.True);
            Assert.That(listener.Results[0].ExitCode, Is.EqualTo(ExitCode.Success));
            Assert.That(listener.Results[1].ExitCode, Is.EqualTo(ExitCode.LockHeld));
            Assert.That(listener.Results[1].Exception, Is.TypeOf<ClusterLockHeldException>());
        });
    }

    [Test]
    public void Tree_and_description_do_not_call_listeners()
    {
        var listener = new RecordingListener();
        HostHarness.Run(Tasks, ["--tree"], host => host.ConfigureServices(s => s.AddSingleton<IRunListener>(listener)));
        HostHarness.Run(Tasks, ["--description"], host => host.ConfigureServices(s => s.AddSingleton<IRunListener>(listener)));

        Assert.That(listener.Results, Is.Empty);
    }

    [Test]
    public void Failing_listener_is_reported_without_changing_the_exit_code()
    {
        var outcome = HostHarness.Run(Tasks, [], host => host.ConfigureServices(s => s.AddSingleton<IRunListener>(new ThrowingListener())));

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.Zero);
            Assert.That(outcome.ErrorLines, Is.EqualTo(new[] { "error: run listener ThrowingListener failed: report folder is read-only" }));
        });
    }

    private sealed class RecordingListener : IRunListener
    {
        public List<RunResult> Results { get; } = [];

        public void OnRunFinished(RunResult result) => Results.Add(result);
    }

    private sealed class ThrowingListener : IRunListener
    {
        public void OnRunFinished(RunResult result) => throw new IOException("report folder is read-only");
    }
}

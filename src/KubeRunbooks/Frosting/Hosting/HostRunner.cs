using Cake.Cli;
using Cake.Cli.Infrastructure;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Packaging;
using Cake.Core.Scripting;
using Cake.Core.Tooling;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;
using Cake.Frosting;

namespace KubeRunbooks.Frosting.Hosting;

/// <summary>
/// One invocation of the host: parses the command line with Spectre (as Frosting does), builds the
/// services, registers the tasks into Cake's engine, runs Cake.Cli's script host for the mode and
/// turns the outcome into an <see cref="ExitCode"/>.
/// </summary>
internal sealed class HostRunner
{
    private const string DefaultTarget = "Default";

    private readonly IServiceCollection _services;
    private readonly RunState _state = new();
    private TextWriter _error = Console.Error;

    public HostRunner(IServiceCollection services)
    {
        _services = services;
    }

    /// <summary>Parses <paramref name="args"/> and runs; returns the process exit code.</summary>
    public int Run(string[] args)
    {
        _error = Console.Error;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        _services.AddSingleton(console);
        _services.AddSingleton(_state);

        var registrar = new TypeRegistrar();
        registrar.RegisterInstance(typeof(HostRunner), this);
        var app = new CommandApp<HostCommand>(registrar);
        app.Configure(config =>
        {
            config.SetApplicationName("build");
            config.ConfigureConsole(console);
            config.PropagateExceptions();
        });

        try
        {
            return app.Run(args);
        }
        catch (CommandAppException exception)
        {
            return (int)WriteUserError(exception);
        }
    }

    /// <summary>Runs the parsed command line (called by <see cref="HostCommand"/>).</summary>
    public int Execute(HostCommandSettings settings, IRemainingArguments remaining)
    {
        var targets = settings.Targets.Length == 0 ? [DefaultTarget] : settings.Targets;
        _services.AddSingleton<ICakeArguments>(remaining.ToCakeArguments(targets));

        using var provider = _services.BuildServiceProvider();
        var log = provider.GetRequiredService<ICakeLog>();

        // Cake's environment moves the process's current directory to the working directory; put it
        // back so a host run in-process (tests, tools) leaves no trace.
        var currentDirectory = Directory.GetCurrentDirectory();
        try
        {
            if (settings.Version)
            {
                provider.GetRequiredService<ICakeVersionFeature>().Run(provider.GetRequiredService<IConsole>());
                return (int)ExitCode.Success;
            }

            if (settings.Info)
            {
                provider.GetRequiredService<ICakeInfoFeature>().Run(provider.GetRequiredService<IConsole>());
                return (int)ExitCode.Success;
            }

            log.Verbosity = settings.Verbosity;
            SetWorkingDirectory(provider, settings.WorkingDirectory);

            var engine = provider.GetRequiredService<ICakeEngine>();
            engine.BeforeTaskSetup += (_, _) => _state.TaskStarting();
            var tasks = TaskRegistrar.Register(engine, provider.GetServices<IFrostingTask>(), _state);
            ICakeContext RunContext() => provider.GetRequiredService<IFrostingContext>();
            LifetimeRegistrar.Register(engine, provider, RunContext, _state);
            EnsureTargetsExist(engine, targets);

            if (settings.DryRun)
            {
                provider.GetRequiredService<RunMode>().IsDryRun = true;
                var planner = new PlannedMutationPrinter(tasks, RunContext, log, _state);
                planner.Attach(engine);
                return RunAndReport(provider, engine, targets, settings, planner);
            }

            if (settings.Tree)
            {
                var tree = new TreeScriptHost(engine, provider.GetRequiredService<ICakeContext>(), provider.GetRequiredService<IConsole>());
                RunHost(tree, targets, settings.Exclusive);
                return (int)ExitCode.Success;
            }

            if (settings.Description)
            {
                var description = new DescriptionScriptHost(engine, provider.GetRequiredService<ICakeContext>(), provider.GetRequiredService<IAnsiConsole>());
                RunHost(description, targets, settings.Exclusive);
                return (int)ExitCode.Success;
            }

            InstallTools(provider);
            return RunAndReport(provider, engine, targets, settings, planner: null);
        }
        catch (Exception exception)
        {
            return (int)ReportFailure(exception, log);
        }
        finally
        {
            Directory.SetCurrentDirectory(currentDirectory);
        }
    }

    private int RunAndReport(IServiceProvider provider, ICakeEngine engine, string[] targets, HostCommandSettings settings, PlannedMutationPrinter? planner)
    {
        var isDryRun = planner is not null;
        var log = provider.GetRequiredService<ICakeLog>();
        engine.AfterTaskTeardown += (_, e) => _state.RecordOutcome(e.TaskTeardownContext);
        var startedAt = DateTimeOffset.Now;
        CakeReport? report = null;
        Exception? failure = null;
        try
        {
            // Resolving the host builds the run's context (constructor injection), only in these two modes.
            ScriptHost host = isDryRun
                ? new DryRunScriptHost<IFrostingContext>(engine, provider.GetRequiredService<IFrostingContext>(), log)
                : new BuildScriptHost<IFrostingContext>(
                    engine,
                    provider.GetRequiredService<IExecutionStrategy>(),
                    provider.GetRequiredService<IFrostingContext>(),
                    provider.GetRequiredService<ICakeReportPrinter>(),
                    provider.GetRequiredService<ICakeConfiguration>(),
                    log);
            report = RunHost(host, targets, settings.Exclusive);

            // Cake's engine swallows exceptions from event handlers; the planner keeps its first one for here.
            planner?.ThrowIfPlanningFailed();
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        var exitCode = failure is null ? ExitCode.Success : ReportFailure(failure, log);
        var result = new RunResult
        {
            Targets = targets,
            ExitCode = exitCode,
            Exception = failure is null ? null : FailureClassifier.Unwrap(failure),
            FailedTask = failure is null ? null : _state.FailedTask(failure),
            Report = report is { IsEmpty: false } ? report : FailureClassifier.Find<CakeReportException>(failure)?.Report ?? _state.Report,
            StartedAt = startedAt,
            FinishedAt = DateTimeOffset.Now,
            IsDryRun = isDryRun,
        };
        NotifyListeners(provider, result);
        return (int)exitCode;
    }

    private static CakeReport RunHost(ScriptHost host, string[] targets, bool exclusive)
    {
        if (exclusive)
        {
            host.Settings.UseExclusiveTarget();
        }

        return host.RunTargetsAsync(targets).GetAwaiter().GetResult();
    }

    private ExitCode ReportFailure(Exception exception, ICakeLog log)
    {
        var code = FailureClassifier.Classify(exception);
        if (code != ExitCode.StepFailed)
        {
            return WriteUserError(exception);
        }

        ExceptionLogger.LogException(log, FailureClassifier.Unwrap(exception));
        if (_state.FailedTask(exception) is { } task)
        {
            log.Error("Task '{0}' failed.", task);
        }

        return code;
    }

    private ExitCode WriteUserError(Exception exception)
    {
        _error.WriteLine($"error: {FailureClassifier.UserMessage(exception)}");
        return FailureClassifier.Classify(exception);
    }

    private void NotifyListeners(IServiceProvider provider, RunResult result)
    {
        IEnumerable<IRunListener> listeners;
        try
        {
            listeners = provider.GetServices<IRunListener>().ToList();
        }
        catch (Exception exception)
        {
            // A listener that needs the context cannot be built when building the context failed;
            // that error has already been printed as the run's one line.
            if (result.ExitCode != ExitCode.Success && FailureClassifier.IsUserError(exception))
            {
                return;
            }

            _error.WriteLine($"error: run listeners could not be created: {FailureClassifier.Unwrap(exception).Message}");
            return;
        }

        foreach (var listener in listeners)
        {
            try
            {
                listener.OnRunFinished(result);
            }
            catch (Exception exception)
            {
                _error.WriteLine($"error: run listener {listener.GetType().Name} failed: {FailureClassifier.Unwrap(exception).Message}");
            }
        }
    }

    private static void SetWorkingDirectory(IServiceProvider provider, DirectoryPath? fromCommandLine)
    {
        var environment = provider.GetRequiredService<ICakeEnvironment>();
        var path = fromCommandLine ?? provider.GetService<WorkingDirectorySetting>()?.Path;
        if (path is null)
        {
            return;
        }

        var absolute = path.MakeAbsolute(environment);
        if (!provider.GetRequiredService<IFileSystem>().Exist(absolute))
        {
            throw new InvalidInputException($"The working directory '{absolute.FullPath}' does not exist.");
        }

        environment.WorkingDirectory = absolute;
    }

    private static void EnsureTargetsExist(ICakeEngine engine, IEnumerable<string> targets)
    {
        foreach (var target in targets)
        {
            if (!engine.Tasks.Any(task => string.Equals(task.Name, target, StringComparison.OrdinalIgnoreCase)))
            {
                var known = engine.Tasks.Select(task => task.Name).Order(StringComparer.OrdinalIgnoreCase).ToList();
                var hint = known.Count == 0 ? "no tasks are registered" : "known targets: " + string.Join(", ", known);
                throw new InvalidInputException($"The target '{target}' was not found; {hint}.");
            }
        }
    }

    private static void InstallTools(IServiceProvider provider)
    {
        var installations = provider.GetServices<ToolInstallation>().ToList();
        if (installations.Count == 0)
        {
            return;
        }

        var installer = provider.GetRequiredService<IToolInstaller>();
        foreach (var installation in installations)
        {
            installer.Install(new PackageReference(installation.Uri.OriginalString));
        }
    }
}

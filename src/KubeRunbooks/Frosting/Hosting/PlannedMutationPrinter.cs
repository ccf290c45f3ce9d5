using System.Runtime.ExceptionServices;
using Cake.Core;
using Cake.Core.Diagnostics;
using KubeRunbooks.Frosting;
using Cake.Frosting;

namespace KubeRunbooks.Frosting.Hosting;

/// <summary>
/// Under --dryrun, prints each task's <see cref="IPlannedMutations"/> under the line Cake's dry-run
/// strategy printed for it. Hooks the engine's task-teardown event, which Cake raises right after
/// the strategy handled the task, so Cake's dry-run host stays in charge and no body runs.
/// </summary>
internal sealed class PlannedMutationPrinter
{
    private readonly IReadOnlyDictionary<string, IFrostingTask> _tasks;
    private readonly Func<ICakeContext> _context;
    private readonly ICakeLog _log;
    private readonly RunState _state;
    private ExceptionDispatchInfo? _failure;

    public PlannedMutationPrinter(IReadOnlyDictionary<string, IFrostingTask> tasks, Func<ICakeContext> context, ICakeLog log, RunState state)
    {
        _tasks = tasks;
        _context = context;
        _log = log;
        _state = state;
    }

    /// <summary>Subscribes to <paramref name="engine"/>.</summary>
    public void Attach(ICakeEngine engine) => engine.AfterTaskTeardown += OnAfterTaskTeardown;

    /// <summary>Rethrows the first exception a task's <see cref="IPlannedMutations.PlanMutations"/> threw.</summary>
    public void ThrowIfPlanningFailed() => _failure?.Throw();

    private void OnAfterTaskTeardown(object? sender, AfterTaskTeardownEventArgs e)
    {
        var info = e.TaskTeardownContext;
        if (_failure is not null || info.Skipped || !_tasks.TryGetValue(info.Task.Name, out var task) || task is not IPlannedMutations planner)
        {
            return;
        }

        IEnumerable<string> lines;
        try
        {
            lines = planner.PlanMutations(_context()).ToList();
        }
        catch (Exception exception)
        {
            // Not thrown here: Cake would log it and carry on. Later tasks are listed without plans.
            _state.RecordFailure(info.Task.Name, exception);
            _failure = ExceptionDispatchInfo.Capture(exception);
            return;
        }

        foreach (var line in lines)
        {
            _log.Information("   - {0}", line);
        }
    }
}

using Cake.Core;
using Cake.Core.Diagnostics;
using KubeRunbooks.Frosting;

namespace Cake.Frosting.Hosting;

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

    public PlannedMutationPrinter(IReadOnlyDictionary<string, IFrostingTask> tasks, Func<ICakeContext> context, ICakeLog log, RunState state)
    {
        _tasks = tasks;
        _context = context;
        _log = log;
        _state = state;
    }

    /// <summary>Subscribes to <paramref name="engine"/>.</summary>
    public void Attach(ICakeEngine engine) => engine.AfterTaskTeardown += OnAfterTaskTeardown;

    private void OnAfterTaskTeardown(object? sender, AfterTaskTeardownEventArgs e)
    {
        var info = e.TaskTeardownContext;
        if (info.Skipped || !_tasks.TryGetValue(info.Task.Name, out var task) || task is not IPlannedMutations planner)
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
            _state.RecordFailure(info.Task.Name, exception);
            throw;
        }

        foreach (var line in lines)
        {
            _log.Information("   - {0}", line);
        }
    }
}

using Cake.Core;
using Microsoft.Extensions.DependencyInjection;

namespace KubeRunbooks.Reporting.Pipelines;

/// <summary>
/// Puts each task's output in a log group of the runner: opened before the task's setup (so Cake's task header is
/// its first line), closed after its teardown, also when it failed. Hooks Cake's engine events, so every task of
/// every target is covered and the engine stays in charge.
/// </summary>
internal static class TaskLogGroups
{
    /// <summary>Subscribes to the engine the context's services hold; does nothing when there is none.</summary>
    public static void Attach(ICakeContext context, IRunnerCommands runner)
    {
        if (context.ServiceProvider?.GetService<ICakeEngine>() is not { } engine)
        {
            return;
        }

        var open = false;
        engine.BeforeTaskSetup += (_, e) =>
        {
            if (open) runner.EndGroup();
            runner.StartGroup(e.TaskSetupContext.Task.Name);
            open = true;
        };
        engine.AfterTaskTeardown += (_, _) =>
        {
            if (!open) return;
            runner.EndGroup();
            open = false;
        };
    }
}

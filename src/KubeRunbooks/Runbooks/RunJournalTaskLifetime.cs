using Cake.Core;
using Cake.Frosting;
using KubeRunbooks.Reporting;

namespace KubeRunbooks.Runbooks;

/// <summary>Records each task's start, end and outcome in the run journal.</summary>
public sealed class RunJournalTaskLifetime : FrostingTaskLifetime<RunbookContext>
{
    /// <inheritdoc />
    public override void Setup(RunbookContext context, ITaskSetupContext info) => context.Journal.TaskStarted(info.Task.Name);

    /// <inheritdoc />
    public override void Teardown(RunbookContext context, ITaskTeardownContext info)
    {
        if (info.Skipped)
        {
            context.Journal.TaskSkipped(info.Task.Name);
        }
        else if (info.Successful)
        {
            context.Journal.TaskFinished(info.Task.Name, TaskOutcome.Succeeded);
        }
        else
        {
            context.Journal.TaskFinished(info.Task.Name, TaskOutcome.Failed, info.ThrownException?.Message);
        }
    }
}

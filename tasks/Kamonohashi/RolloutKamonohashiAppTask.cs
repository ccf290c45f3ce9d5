using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Logging;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>
/// Rolls the application out so it runs with the new settings and waits until the rollout is complete (kubectl's
/// rule). A change of the container env already rolls it out; settings in a ConfigMap need a restart. Nothing
/// written, nothing restarted.
/// </summary>
[TaskName("RolloutKamonohashiApp")]
[TaskDescription("Rolls the KAMONOHASHI application out after a settings change and waits for the rollout")]
public sealed class RolloutKamonohashiAppTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var plan = BackupSchedulePlan.Of(context);
        if (plan.Changes.Count == 0) // the plan made under the lock: WriteBackupSettings wrote exactly these
        {
            context.Log.Information("{0}", $"No rollout: the settings of {plan.Application} did not change.");
            return;
        }

        var workloads = new WorkloadOperations(context.Kubernetes, LineSinks.ToCakeLog(context.Log));
        if (!plan.Store.WriteRollsOut) await workloads.RolloutRestartAsync(plan.Application, DateTimeOffset.UtcNow, context.LockLost);
        await workloads.WaitForRolloutAsync(plan.Application, context.Profile.Timeouts.Rollout, context.LockLost);
        context.Journal.RecordFact("rollout", $"{plan.Application} rolled out");
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = BackupSchedulePlan.Of((RunbookContext)context);
        if (plan.Changes.Count == 0) return ["nothing: no setting changes, no rollout"];
        return plan.Store.WriteRollsOut
            ? [$"wait for the rollout of {plan.Application} that the env change starts"]
            : [$"rollout restart {plan.Application} (restartedAt now) and wait for it"];
    }
}

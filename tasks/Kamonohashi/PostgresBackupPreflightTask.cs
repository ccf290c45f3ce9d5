using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>Checks the database and its container exist and, with --scheduled, says whether a slot has passed; changes nothing.</summary>
[TaskName("PostgresBackupPreflight")]
[TaskDescription("Checks the database workload and container; with --scheduled decides whether a slot of the schedule has passed")]
public sealed class PostgresBackupPreflightTask : FrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override void Run(RunbookContext context)
    {
        var plan = context.Plan<PostgresBackupPlan>();
        context.Log.Information("{0}", $"{KamonohashiTargets.PostgresBackup} of {plan.Database} container {plan.Settings.DatabaseContainer} into {plan.BackupFolder}, keeping {plan.Retention}.");
        if (plan.Gate is { } gate)
        {
            context.Log.Information("{0}", $"Scheduled ({plan.Schedule}): {gate.Reason}.");
            context.Journal.RecordFact("schedule", gate.Reason);
        }
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ((RunbookContext)context).Plan<PostgresBackupPlan>();
        return plan.Gate is { Run: false } gate ? [$"nothing: {gate.Reason}"] : [];
    }
}

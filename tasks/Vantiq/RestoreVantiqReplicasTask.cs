using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Downtime;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>
/// Scales every workload back to the replicas recorded before the stop (3 / 1 / 2 in the standard install, not
/// constants), waits until all are ready, and removes the records: the operation is complete.
/// </summary>
[TaskName("RestoreVantiqReplicas")]
[TaskDescription("Scales the workloads back to their recorded replicas, waits until ready, removes the records")]
public sealed class RestoreVantiqReplicasTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new VantiqKit(context);
        var plan = kit.Plan;
        var restored = DowntimeWindow.Describe(await kit.Downtime.BringBackAsync(kit.Token));
        await kit.Ledger.FinishAsync(kit.Token);
        if (plan.UsesUpRollbackRecords)
        {
            // The rollback used them up: a second rollback must not return to them again.
            await kit.Notes.WriteAsync(plan.Server, new Dictionary<string, string?> { [AnnotationStore.PreviousImage] = null, [AnnotationStore.BackupId] = null }, kit.Token);
        }
        context.Log.Information($"Replicas restored: {restored}.");
        context.Facts.Record(VantiqFacts.ReplicasRestored, restored);
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ((RunbookContext)context).Plan<VantiqPlan>();
        foreach (var workload in plan.All)
            yield return $"scale {workload} to {plan.Install.RecordedReplicas(workload)} (its recorded replicas), wait until ready, remove {AnnotationStore.OriginalReplicas}";
        yield return $"remove {AnnotationStore.Operation} from {plan.Server}";
    }
}

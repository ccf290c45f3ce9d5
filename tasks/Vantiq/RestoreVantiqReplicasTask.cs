using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Runbooks;

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
        var restored = await kit.Group.RestoreAsync(plan.All, plan.ProfileReplicas, context.Profile.Timeouts.PodReady, kit.Token);
        await kit.Notes.WriteOperationAsync(plan.Server, null, kit.Token);
        if (plan.Target == VantiqTargets.RollbackMinor)
        {
            // The rollback used them up: a second rollback must not return to them again.
            await kit.Notes.WriteAsync(plan.Server, new Dictionary<string, string?> { [AnnotationStore.PreviousImage] = null, [AnnotationStore.BackupId] = null }, kit.Token);
        }
        kit.Outcome.ReplicasRestored = VantiqKit.Describe(restored);
        context.Log.Information($"Replicas restored: {kit.Outcome.ReplicasRestored}.");
        context.Journal.RecordFact("replicasRestored", kit.Outcome.ReplicasRestored);
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var kit = new VantiqKit((RunbookContext)context);
        foreach (var workload in kit.Plan.All)
        {
            var recorded = kit.Notes.ReadOriginalReplicasAsync(workload).GetAwaiter().GetResult()
                ?? kit.Workloads.GetReplicasAsync(workload).GetAwaiter().GetResult();
            yield return $"scale {workload} to {recorded} (its recorded replicas), wait until ready, remove {AnnotationStore.OriginalReplicas}";
        }
        yield return $"remove {AnnotationStore.Operation} from {kit.Plan.Server}";
    }
}

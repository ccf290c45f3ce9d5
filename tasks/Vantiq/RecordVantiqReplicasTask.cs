using System.Globalization;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Downtime;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>
/// Records on each workload the replicas it has before anything is stopped (a record already there is kept: a rerun
/// must not record the 0 it finds). The operation itself was recorded when the lock was taken.
/// </summary>
[TaskName("RecordVantiqReplicas")]
[TaskDescription("Records the replicas of vantiq, metrics-collector and vision-analytics as annotations")]
public sealed class RecordVantiqReplicasTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new VantiqKit(context);
        var recorded = DowntimeWindow.Describe(await kit.Downtime.RecordAsync(kit.Token));
        context.Log.Information($"Recorded replicas: {recorded}.");
        context.Facts.Record(VantiqFacts.ReplicasRecorded, recorded);
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ((RunbookContext)context).Plan<VantiqPlan>();
        return plan.All.Select(w =>
            $"annotate {w} {AnnotationStore.OriginalReplicas}={plan.Install.States[w].DesiredReplicas.ToString(CultureInfo.InvariantCulture)} (unless already recorded)");
    }
}

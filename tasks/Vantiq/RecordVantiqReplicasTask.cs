using System.Globalization;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>
/// Records on the cluster what a rerun or a rollback needs: the operation (from, to, the image it started from)
/// and each workload's replicas, before anything is stopped. A record already there is kept (resume).
/// </summary>
[TaskName("RecordVantiqReplicas")]
[TaskDescription("Records the operation and the replicas of vantiq, metrics-collector and vision-analytics as annotations")]
public sealed class RecordVantiqReplicasTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new VantiqKit(context);
        var plan = kit.Plan;
        if (plan.Resumed is null)
        {
            await kit.Notes.WriteOperationAsync(plan.Server, new OperationRecord
            {
                Target = plan.Target,
                From = plan.From.ToString(),
                To = (plan.To ?? plan.From).ToString(),
                FromImage = plan.FromImage.ToString(),
                Run = context.RunId,
                StartedAt = DateTimeOffset.UtcNow,
            }, kit.Token);
        }
        var recorded = await kit.Group.RecordAsync(plan.All, kit.Token);
        context.Log.Information($"Recorded replicas: {VantiqKit.Describe(recorded)}.");
        context.Journal.RecordFact("replicasRecorded", VantiqKit.Describe(recorded));
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var kit = new VantiqKit((RunbookContext)context);
        var plan = kit.Plan;
        if (plan.Resumed is null)
            yield return $"annotate {plan.Server} {AnnotationStore.Operation}={plan.Target} {plan.From} -> {plan.To ?? plan.From}";
        foreach (var workload in plan.All)
        {
            var replicas = kit.Workloads.GetReplicasAsync(workload).GetAwaiter().GetResult();
            yield return $"annotate {workload} {AnnotationStore.OriginalReplicas}={replicas.ToString(CultureInfo.InvariantCulture)} (unless already recorded)";
        }
    }
}

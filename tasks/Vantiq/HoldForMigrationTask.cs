using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>
/// The seed's caution: a deploy resets the replicas, but during the migration exactly one vantiq pod may run and
/// metrics-collector and vision-analytics none. They are brought to 0 (and gone) before vantiq goes to 1.
/// </summary>
[TaskName("HoldForMigration")]
[TaskDescription("Enforces vantiq 1, metrics-collector 0, vision-analytics 0 after the deploy (the others are gone before vantiq starts)")]
public sealed class HoldForMigrationTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new VantiqKit(context);
        if (await kit.AlreadyUpAsync("HoldForMigration")) return;
        var plan = kit.Plan;
        var changed = await kit.Group.ScaleAndWaitAsync(plan.Install.Optional.Select(w => (w, 0)), context.Profile.Timeouts.PodReady, kit.Token);
        if (changed.Count > 0) context.Log.Warning($"The deploy had started {string.Join(", ", changed.Select(w => w.Name))}: scaled back to 0.");
        if (await kit.Workloads.GetReplicasAsync(plan.Server, kit.Token) != 1)
            await kit.Workloads.ScaleAsync(plan.Server, 1, kit.Token);
        context.Log.Information($"{plan.Server} runs one pod for the schema migration; the others stay at 0.");
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ((RunbookContext)context).Plan<VantiqPlan>();
        foreach (var w in plan.Install.Optional) yield return $"scale {w} to 0 if the deploy changed it";
        yield return $"scale {plan.Server} to 1";
    }
}

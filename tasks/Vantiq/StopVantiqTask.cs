using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>Scales vantiq, metrics-collector and vision-analytics to 0 and waits until their pods are gone: downtime starts.</summary>
[TaskName("StopVantiq")]
[TaskDescription("Scales vantiq, metrics-collector and vision-analytics to 0 and waits until their pods are gone (downtime starts)")]
public sealed class StopVantiqTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new VantiqKit(context);
        if (await kit.AlreadyUpAsync("StopVantiq")) return;
        context.Log.Information("Stopping Vantiq: downtime starts.");
        await kit.Downtime.StopAsync(kit.Token);
        context.Log.Information("Vantiq is stopped: no pod of " + string.Join(", ", kit.Plan.All.Select(w => w.Name)) + " is left.");
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context) =>
        ((RunbookContext)context).Plan<VantiqPlan>().All.Select(w => $"scale {w} to 0 and wait until its pods are gone");
}

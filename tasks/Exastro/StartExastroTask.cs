using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Downtime;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>
/// The seed's サービス再開: the backyard and then the reverse proxy back at the replicas recorded before the stop,
/// waited for until ready; the operation is closed.
/// </summary>
[TaskName("StartExastro")]
[TaskDescription("Brings the backyard (ita-by-*), then the reverse proxy back to their recorded replicas and waits until ready")]
public sealed class StartExastroTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new ExastroKit(context);
        try
        {
            var restored = await kit.StartAsync();
            await kit.Ledger.FinishAsync(CancellationToken.None);
            context.Facts.Record(ExastroFacts.ReplicasRestored, DowntimeWindow.Describe(restored));
            context.Log.Information($"The services are back: {DowntimeWindow.Describe(restored)}. Downtime ends.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new StepFailedException($"Starting the services again failed: {e.Message.TrimEnd('.')}. Their recorded replicas are kept on them: run {kit.Plan.RerunCommand} to bring them back.", e);
        }
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var install = ((RunbookContext)context).Plan<ExastroPlan>().Install;
        foreach (var w in install.Backyard) yield return $"scale {w} back to its recorded replicas and wait until ready";
        yield return $"scale {install.ReverseProxy} back to its recorded replicas and wait until ready";
        yield return $"remove the operation record from {install.ReverseProxy}";
    }
}

using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Logging;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>
/// Follows the <c>load-model</c> init container of <c>vantiq-0</c> to its exit (the seed's
/// <c>kubectl logs vantiq-0 -c load-model -f</c>); a non-zero exit ends the run with its log tail and the exact
/// rollback command.
/// </summary>
[TaskName("WaitSchemaMigration")]
[TaskDescription("Follows the load-model container of vantiq-0 to its exit; a failure shows its log tail and the RollbackMinor command")]
public sealed class WaitSchemaMigrationTask : AsyncFrostingTask<RunbookContext>
{
    /// <summary>How many log lines a failure shows.</summary>
    public const int TailLines = 20;

    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new VantiqKit(context);
        if (await kit.AlreadyUpAsync("WaitSchemaMigration")) return;
        var plan = kit.Plan;
        var container = plan.Settings.MigrationContainer;
        var state = await kit.Workloads.GetAsync(plan.Server, kit.Token);
        if (state.InitContainers.All(c => c.Name != container) && state.Containers.All(c => c.Name != container))
        {
            context.Log.Warning($"{plan.Server} has no container {container}: no schema migration to follow.");
            return;
        }
        var pod = plan.Server.FirstPodName;
        context.Log.Information($"Following the schema migration: {container} of pod {plan.Settings.Namespace}/{pod}.");
        var exit = await kit.Containers.FollowToExitAsync(plan.Settings.Namespace, pod, container, LineSinks.Prefixed(kit.Log, $"{container} | "),
            context.Profile.Timeouts.Migration, TailLines, kit.Token);
        context.Facts.Record(VantiqFacts.MigrationExitCode, exit.ExitCode);
        if (exit.Succeeded)
        {
            context.Log.Information($"The schema migration finished ({container} exited 0).");
            return;
        }
        context.Log.Error($"Last {exit.Tail.Count} lines of {container} in {pod}:");
        foreach (var line in exit.Tail) context.Log.Error($"  {line}");
        var backup = (await kit.Ledger.ReadAsync(kit.Token))?.TakenOf(VantiqLedgerKeys.Backup);
        throw new StepFailedException($"The schema migration failed: container {container} of pod {plan.Settings.Namespace}/{pod} exited with code {exit.ExitCode}{(exit.Reason is { } r ? $" ({r})" : "")}. Vantiq stays down. Roll back with: {plan.RollbackCommand(backup)}");
    }
}

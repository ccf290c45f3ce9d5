using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Downtime;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>
/// The seed's <c>deploy-kamonohashi.sh deploy app</c> after the restore: the database back to its recorded replicas and
/// answering a query on the restored data (else the original folder is put back), then the application, then the
/// records removed. The folder moved aside stays where it is, named in the report.
/// </summary>
[TaskName("StartAfterPostgresRestore")]
[TaskDescription("Database, then application, back to their recorded replicas and ready; the ledger closed")]
public sealed class StartAfterPostgresRestoreTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new PostgresRestoreKit(context);
        var plan = kit.Plan;
        var record = await kit.RecordAsync();
        var aside = record?.TakenOf(PostgresRestoreKit.DataAsideKey);
        string databases;
        try
        {
            await kit.DatabaseWindow.BringBackAsync(kit.Token);
            var server = await KamonohashiDatabase.ReadyServerAsync(context, plan.Settings, kit.Token);
            await server.WaitAcceptingAsync(kit.PodTimeout, kit.Token);
            databases = (await server.QueryAsync("SELECT string_agg(datname, ', ' ORDER BY datname) FROM pg_database WHERE NOT datistemplate;", cancellationToken: kit.Token)).Trim();
        }
        catch (Exception e) when (e is not OperationCanceledException || !kit.Token.IsCancellationRequested)
        {
            throw await kit.RollBackAsync(e, "StartAfterPostgresRestore");
        }
        var app = await kit.AppWindow.BringBackAsync(kit.Token);
        await kit.Ledger.FinishAsync(kit.Token);
        context.Log.Information("{0}", $"Restored {plan.Set.Name}: databases {databases}; application back ({DowntimeWindow.Describe(app)}).");
        if (aside is not null)
        {
            context.Log.Information("{0}", $"The data folder before the restore is kept at {plan.ParentHostPath}/{aside} on the node: remove it once the restored data is checked.");
            context.Facts.Record(KamonohashiFacts.DataAside, $"{plan.ParentHostPath}/{aside}");
        }
        context.Journal.RecordFact("databases", databases);
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ((RunbookContext)context).Plan<PostgresRestorePlan>();
        foreach (var workload in plan.Application.Prepend(plan.Database))
            yield return $"scale {workload} to its recorded replicas and wait until ready";
        yield return $"remove the operation record from {plan.Database}";
    }
}

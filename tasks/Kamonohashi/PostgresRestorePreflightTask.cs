using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>The set verified (in the plan, before anything stops), the database, its data folder and the application found; changes nothing.</summary>
[TaskName("PostgresRestorePreflight")]
[TaskDescription("Verifies the backup set (sizes, SHA-256, gzip, completion line) and finds the database, its data folder and the application")]
public sealed class PostgresRestorePreflightTask : FrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override void Run(RunbookContext context)
    {
        var plan = context.Plan<PostgresRestorePlan>();
        context.Log.Information("{0}", $"Backup set {plan.Set.Name} verified: {plan.DumpFile} ({plan.Set.File(plan.DumpFile).Size} bytes, sha256 {plan.Set.File(plan.DumpFile).Sha256}).");
        context.Log.Information("{0}", $"Database {plan.Database}, data folder {plan.DataHostPath} on its node; application {string.Join(", ", plan.Application)}.");
        if (plan.Ledger.Resumed is { } resumed) context.Log.Information("{0}", $"Resuming the unfinished {resumed.Describe()}.");
        context.Facts.Record(KamonohashiFacts.RestoredSet, plan.Set.Name);
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        ((RunbookContext)context).Plan<PostgresRestorePlan>();
        return [];
    }
}

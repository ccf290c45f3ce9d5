using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Secrets;

namespace KubeRunbooks.Tasks.Vantiq.Secrets;

/// <summary>
/// The run's summary: the certificate or license installed, what was archived, each Secret's fingerprints; the operation
/// record is removed (the renewal is finished).
/// </summary>
[TaskName("SecretRenewalReport")]
[TaskDescription("Summarises the renewal: files archived, secrets written with their fingerprints")]
public sealed class SecretRenewalReportTask : AsyncFrostingTask<RunbookContext>
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var plan = SecretRenewalPlan.Of(context);
        var state = plan.State;
        context.Log.Information($"{plan.Target} on cluster '{plan.Cluster}' complete.");
        if (plan.Certificate is { } c) context.Log.Information($"Certificate: {c.Describe()}");
        if (plan.RollbackSet is { } set) context.Log.Information($"Restored: {set.Describe()}; the replaced files are kept as {string.Join(", ", state.KeptAside)}");
        else context.Log.Information($"Archived: {state.Archived?.Describe() ?? "nothing (no files were in place)"}");
        foreach (var (secret, fingerprints) in state.Verified) context.Log.Information($"{secret}: {SecretFingerprints.Describe(fingerprints)}");
        if (plan.LedgerOn(context) is { } ledger) await ledger.FinishAsync(context.LockLost);
    }
}

using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>The database Secret's password key set to the new value (its other keys kept) and read back by fingerprint, then every consumer rolled out.</summary>
[TaskName("UpdateDatabaseSecret")]
[TaskDescription("Writes the new password into the database Secret (verified by fingerprint) and rolls out every workload that reads it")]
public sealed class UpdateDatabaseSecretTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new DatabasePasswordKit(context);
        var plan = kit.Plan;
        var written = false;
        try
        {
            var spec = await plan.SecretWithAsync(kit.Secrets, plan.NewPassword, kit.Token);
            written = true; // from here a failure may have left the new value in the Secret
            await kit.Secrets.WriteAsync(spec, context.RunId, kit.Token);
            await kit.Secrets.VerifyAsync(spec, kit.Token);
            foreach (var consumer in plan.Consumers)
            {
                context.Log.Information("{0}", $"Rolling out {consumer} so it reads the new password.");
                await kit.Workloads.RolloutRestartAsync(consumer, DateTimeOffset.UtcNow, kit.Token);
                await kit.Workloads.WaitForRolloutAsync(consumer, context.Profile.Timeouts.Rollout, kit.Token);
            }
            if (await kit.TryLoginAsync(plan.NewPassword, kit.Token) is { } refused)
                throw new InvalidOperationException($"the new password no longer logs in ({refused})");
        }
        catch (Exception e) when (e is not OperationCanceledException || !kit.Token.IsCancellationRequested)
        {
            throw await kit.RevertAsync(e, "UpdateDatabaseSecret", written);
        }
        context.Log.Information("{0}", $"{plan.SecretDescription} holds the new password; rolled out: {(plan.Consumers.Count == 0 ? "none" : string.Join(", ", plan.Consumers.Select(c => c.Name)))}.");
        context.Journal.RecordFact("secret", plan.SecretDescription);
        context.Journal.RecordFact("rolledOut", string.Join(", ", plan.Consumers.Select(c => c.Name)));
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ((RunbookContext)context).Plan<DatabasePasswordPlan>();
        yield return $"write {plan.SecretDescription} (other keys kept), read it back by fingerprint";
        foreach (var consumer in plan.Consumers) yield return $"rollout restart {consumer} and wait for it";
    }
}

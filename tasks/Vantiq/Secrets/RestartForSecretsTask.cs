using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Vantiq.Secrets;

/// <summary>
/// The seed's <c>kubectl rollout restart sts -n NS vantiq</c> so the pods read the new license, then waits for the
/// rollout by kubectl's rule. Only for the license targets.
/// </summary>
[TaskName("RestartForSecrets")]
[TaskDescription("Rolling restart of the Vantiq StatefulSet (kubectl rollout restart sts) and wait for the rollout, so the pods read the new license")]
public sealed class RestartForSecretsTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override bool ShouldRun(RunbookContext context) => SecretRenewalPlan.Of(context).Restart is not null;

    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var plan = SecretRenewalPlan.Of(context);
        var server = plan.Restart!;
        var workloads = new WorkloadOperations(context.Kubernetes, Kubernetes.Logging.LineSinks.ToCakeLog(context.Log));
        var started = DateTimeOffset.UtcNow;
        started = await workloads.RolloutRestartAsync(server, started, context.LockLost);
        try
        {
            await workloads.WaitForRolloutAsync(server, context.Profile.Timeouts.Rollout, context.LockLost);
        }
        catch (Kubernetes.Watching.WaitTimeoutException e)
        {
            throw new StepFailedException($"{e.Message} The license secret holds the new license; {server} is part way through its restart. " +
                $"Look at its pods (kubectl get pods -n {server.Namespace}), or go back with ./build.sh --target={SecretTargets.RollbackLicense} --cluster={plan.Cluster}.", e);
        }

        if (plan.LedgerOn(context) is { } ledger) await ledger.MarkAsync(SecretRenewalPlan.RestartedMark, DateTimeOffset.UtcNow, context.LockLost);
        context.Journal.RecordFact("restarted", $"{server} at {WorkloadPatches.Rfc3339(started)}");
        context.Log.Information($"{server} restarted: every pod runs with the new secret.");
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        if (SecretRenewalPlan.Of((RunbookContext)context).Restart is { } server)
            yield return $"patch {server} pod template annotation {WorkloadPatches.RestartedAtAnnotation}=<now> (rollout restart), wait for the rollout";
    }
}

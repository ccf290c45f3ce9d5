using Cake.Core;
using Cake.Frosting;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Secrets;

namespace KubeRunbooks.Tasks.Vantiq.Secrets;

/// <summary>
/// The seed's <c>generateSecrets</c> + <c>deployVantiq</c> / <c>deployNginx</c>: each Secret created or replaced with the
/// files' content, annotated with this run, then read back and compared by SHA-256 fingerprint. A failure puts the
/// Secrets and the sensitive folder back as they were.
/// </summary>
[TaskName("RegenerateSecrets")]
[TaskDescription("Writes the TLS or license Secrets from the files (annotated with the run) and verifies them by SHA-256 fingerprint")]
public sealed class RegenerateSecretsTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var plan = SecretRenewalPlan.Of(context);
        var state = plan.State;
        var writer = new SecretWriter(context.Kubernetes, Kubernetes.Logging.LineSinks.ToCakeLog(context.Log));
        try
        {
            foreach (var spec in plan.Secrets)
            {
                state.Written.Add(spec);
                await writer.WriteAsync(spec, context.RunId, context.LockLost);
            }

            foreach (var spec in plan.Secrets)
            {
                var fingerprints = await writer.VerifyAsync(spec, context.LockLost);
                state.Verified[spec.ToString()] = fingerprints;
                context.Journal.RecordFact($"after:{spec}", SecretFingerprints.Describe(fingerprints));
            }
        }
        catch (Exception e) when (e is not StepFailedException and not OutOfMemoryException)
        {
            var left = SecretRenewalUndo.Run(context, plan, state);
            throw new StepFailedException($"Writing the secrets failed ({e.GetType().Name}: {context.Masker.Mask(e.Message)}). Put back: {left}.", e);
        }
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = SecretRenewalPlan.Of((RunbookContext)context);
        foreach (var (wanted, before) in plan.Previous)
            yield return $"{(before is null ? "create" : "replace")} {wanted} ({wanted.Type}): {SecretFingerprints.Describe(wanted.Fingerprints())}";
    }
}

using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Deploy;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Secrets;

namespace KubeRunbooks.Tasks.Vantiq.Secrets;

/// <summary>
/// The seed's <c>generateSecrets</c> + <c>deployVantiq</c> / <c>deployNginx</c>: each Secret created or replaced with the
/// files' content, annotated with this run (or, with <c>vantiq.secretCommands</c>, the vendor's commands run in their
/// working folder), then read back and compared by SHA-256 fingerprint. A failure puts the Secrets and the sensitive
/// folder back as they were.
/// </summary>
[TaskName("RegenerateSecrets")]
[TaskDescription("Writes the TLS or license Secrets from the files (or runs vantiq.secretCommands) and verifies them by SHA-256 fingerprint")]
public sealed class RegenerateSecretsTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var plan = SecretRenewalPlan.Of(context);
        var state = plan.State;
        var writer = new SecretWriter(context.Kubernetes, Kubernetes.Logging.LineSinks.ToCakeLog(context.Log));
        var step = "Writing the secrets failed";
        try
        {
            if (plan.Commands is { } commands)
            {
                // The vendor's commands may write any of the Secrets: each is put back if a later step fails.
                state.Written.AddRange(plan.Secrets);
                foreach (var (name, line) in commands)
                {
                    new DeployCommand(line, plan.CommandsFolder, $"the secrets command {name}")
                        .Run(context, null, plan.Cluster, context.Profile.Timeouts.Deploy, l => context.Log.Information("{0}", context.Masker.Mask(l)));
                }

                step = $"The secrets commands ({string.Join(", ", commands.Select(c => c.Name))}) exited 0 but did not write the new files";
            }
            else
            {
                foreach (var spec in plan.Secrets)
                {
                    state.Written.Add(spec);
                    await writer.WriteAsync(spec, context.RunId, context.LockLost);
                }
            }

            foreach (var spec in plan.Secrets)
            {
                var fingerprints = await writer.VerifyAsync(spec, context.LockLost);
                state.Verified[spec.ToString()] = fingerprints;
                context.Journal.RecordFact($"after:{spec}", SecretFingerprints.Describe(fingerprints));
            }
        }
        catch (Exception e) when (e is not StepFailedException and not OutOfMemoryException and not OperationCanceledException)
        {
            var (left, complete) = SecretRenewalUndo.Run(context, plan, state);
            // All put back: the operation is undone, not unfinished. Otherwise its record stays for a rerun.
            if (complete && plan.LedgerOn(context) is { } undone) await undone.FinishAsync(CancellationToken.None);
            // One line: the command (or the Secret that differs) and what was put back.
            var message = e switch
            {
                DeployFailedException => context.Masker.Mask(e.Message) ?? e.GetType().Name,
                InvalidDataException => $"{step} ({context.Masker.Mask(e.Message)})",
                _ => $"{step} ({e.GetType().Name}: {context.Masker.Mask(e.Message)})",
            };
            throw new StepFailedException($"{message.TrimEnd('.')}. Put back: {left}.", e);
        }

        if (plan.LedgerOn(context) is { } ledger) await ledger.MarkAsync(SecretRenewalPlan.SecretsVerifiedMark, DateTimeOffset.UtcNow, context.LockLost);
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = SecretRenewalPlan.Of((RunbookContext)context);
        if (plan.Commands is { } commands)
        {
            foreach (var (name, line) in commands) yield return $"run the secrets command {name}: {line} (in {plan.CommandsFolder ?? "the current folder"})";
            foreach (var (wanted, _) in plan.Previous) yield return $"verify {wanted} ({wanted.Type}): {SecretFingerprints.Describe(wanted.Fingerprints())}";
            yield break;
        }

        foreach (var (wanted, before) in plan.Previous)
            yield return $"{(before is null ? "create" : "replace")} {wanted} ({wanted.Type}): {SecretFingerprints.Describe(wanted.Fingerprints())}";
    }
}

using System.Text;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Logging;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Secrets;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>Reads the new secret key (file, variable or prompt) and finds MinIO and the Secret's other readers; changes nothing.</summary>
[TaskName("StorageKeyRotationPreflight")]
[TaskDescription("Reads the new Storage Secret Key (never from an argument) and finds MinIO and every workload reading its Secret; changes nothing")]
public sealed class StorageKeyRotationPreflightTask : FrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override void Run(RunbookContext context)
    {
        var plan = StorageKeyRotationPlan.Of(context);
        context.Log.Information("{0}", $"{KamonohashiTargets.RotateStoragePassword}: {plan.SecretDescription}, then {string.Join(", ", plan.Consumers.Select(c => c.Consumer.Workload.ToString()))} rolled out and checked.");
        context.Journal.RecordFact("consumers", string.Join(", ", plan.Consumers.Select(c => c.Consumer.Workload.Name)));
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        StorageKeyRotationPlan.Of((RunbookContext)context); // input is checked under --dryrun as in a run
        return [];
    }
}

/// <summary>
/// The new secret key into MinIO's Secret (written, read back by fingerprint), then MinIO and every reader of the
/// Secret rolled out, then each one's running pods checked to hold the new value (its SHA-256 compared in the pod).
/// A failure at any point puts the old Secret back and rolls out again what was already restarted, then fails.
/// </summary>
[TaskName("RotateStorageSecret")]
[TaskDescription("Writes the new MinIO secret key, rolls out MinIO and its consumers and checks them; a failure puts the old key back everywhere")]
public sealed class RotateStorageSecretTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var plan = StorageKeyRotationPlan.Of(context);
        var log = LineSinks.ToCakeLog(context.Log);
        var secrets = new SecretWriter(context.Kubernetes, log);
        var workloads = new WorkloadOperations(context.Kubernetes, log);
        var probe = new SecretEnvProbe(context.Kubernetes);
        var restarted = new List<WorkloadRef>();
        var updated = Spec(plan, plan.Values.New);
        try
        {
            await secrets.WriteAsync(updated, context.RunId, context.LockLost);
            await secrets.VerifyAsync(updated, context.LockLost);
            foreach (var (consumer, _) in plan.Consumers)
            {
                restarted.Add(consumer.Workload);
                await workloads.RolloutRestartAsync(consumer.Workload, DateTimeOffset.UtcNow, context.LockLost);
                await workloads.WaitForRolloutAsync(consumer.Workload, context.Profile.Timeouts.Rollout, context.LockLost);
            }
            foreach (var (consumer, selector) in plan.Consumers)
            {
                var problems = await probe.MismatchesAsync(consumer, selector, plan.Values.New, context.LockLost);
                if (problems.Count > 0) throw new InvalidDataException($"{consumer.Workload} does not run with the new key: {string.Join("; ", problems)}");
                context.Log.Information("{0}", $"{consumer.Workload} runs with the new key ({(consumer.Variables.Count == 0 ? "restarted; it reads the Secret another way, not checked" : string.Join(", ", consumer.Variables.Select(v => $"{v.Container} ${v.Variable}")))}).");
            }
        }
        catch (Exception e) when (e is not InvalidInputException)
        {
            context.Log.Error("{0}", $"The rotation failed: {context.Masker.Mask(e.Message)} Putting the old key back in {plan.SecretDescription} and rolling out {Names(restarted)} again.");
            var back = await PutBackAsync(context, plan, secrets, workloads, probe, restarted);
            throw new StepFailedException($"RotateStoragePassword failed: {context.Masker.Mask(e.Message)} {back}", e);
        }
        context.Journal.RecordFact("secret", $"{plan.SecretDescription} holds the new key (verified by fingerprint)");
        context.Journal.RecordFact("rolledOut", Names(restarted));
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = StorageKeyRotationPlan.Of((RunbookContext)context);
        yield return $"write the new key into {plan.SecretDescription} (other keys kept) and read it back";
        foreach (var (consumer, _) in plan.Consumers) yield return $"rollout restart {consumer.Workload} and wait for it";
        yield return "check in each running pod that its variable holds the new key (SHA-256 compared in the pod)";
    }

    private static async Task<string> PutBackAsync(RunbookContext context, StorageKeyRotationPlan plan, SecretWriter secrets, WorkloadOperations workloads,
        SecretEnvProbe probe, IReadOnlyList<WorkloadRef> restarted)
    {
        // Not the lock's token alone: the old key must go back also when the run is being cancelled.
        using var timeout = new CancellationTokenSource(context.Profile.Timeouts.Rollout * Math.Max(1, restarted.Count) + TimeSpan.FromMinutes(1));
        try
        {
            var old = new SecretSpec(plan.Settings.Namespace, plan.Settings.MinioSecret, plan.SecretType, plan.Values.Before);
            await secrets.WriteAsync(old, context.RunId, timeout.Token);
            await secrets.VerifyAsync(old, timeout.Token);
            foreach (var workload in restarted)
            {
                await workloads.RolloutRestartAsync(workload, DateTimeOffset.UtcNow, timeout.Token);
                await workloads.WaitForRolloutAsync(workload, context.Profile.Timeouts.Rollout, timeout.Token);
            }
            foreach (var (consumer, selector) in plan.Consumers.Where(c => restarted.Contains(c.Consumer.Workload)))
            {
                var problems = await probe.MismatchesAsync(consumer, selector, plan.Values.Old, timeout.Token);
                if (problems.Count > 0) return $"The old key is back in {plan.SecretDescription}, but {string.Join("; ", problems)}: check those pods.";
            }
            return $"The old key is back in {plan.SecretDescription}; {(restarted.Count == 0 ? "no workload had been restarted" : $"{Names(restarted)} rolled out again and run with it")}.";
        }
        catch (Exception e)
        {
            return $"Putting the old key back failed too ({context.Masker.Mask(e.Message)}): {plan.SecretDescription} and {Names(restarted)} may hold the new key; run {KamonohashiTargets.RotateStoragePassword} again with the key you want.";
        }
    }

    private static SecretSpec Spec(StorageKeyRotationPlan plan, string value)
    {
        var data = plan.Values.Before.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        data[plan.Settings.MinioSecretKey] = Encoding.UTF8.GetBytes(value);
        return new SecretSpec(plan.Settings.Namespace, plan.Settings.MinioSecret, plan.SecretType, data);
    }

    private static string Names(IEnumerable<WorkloadRef> workloads) => string.Join(", ", workloads.Select(w => w.ToString())) is { Length: > 0 } s ? s : "none";
}

/// <summary>The seed's manual follow-up, printed as the last step: the new key in KAMONOHASHI's storage screen.</summary>
[TaskName("StorageKeyFollowUp")]
[TaskDescription("Prints the seed's manual step: enter the new secret key in KAMONOHASHI's storage management screen")]
public sealed class StorageKeyFollowUpTask : FrostingTask<RunbookContext>
{
    /// <summary>The manual step, as the seed words it.</summary>
    public const string Step =
        "Manual step (seed 000): in KAMONOHASHI's storage management screen (ストレージ管理画面), update this storage's secret key (シークレットキー) to the new value.";

    /// <inheritdoc />
    public override void Run(RunbookContext context)
    {
        context.Log.Warning("{0}", Step);
        context.Journal.RecordFact("manualFollowUp", Step);
    }
}

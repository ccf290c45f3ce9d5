using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.ThreeScale;

/// <summary>
/// Finds the 3scale workloads (which system database, DeploymentConfigs or Deployments) and, with --scheduled, says
/// whether a slot has passed; changes nothing.
/// </summary>
[TaskName("ThreeScaleBackupPreflight")]
[TaskDescription("Finds the 3scale workloads and the system database variant; with --scheduled decides whether a slot of the schedule has passed")]
public sealed class ThreeScaleBackupPreflightTask : FrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override void Run(RunbookContext context)
    {
        var plan = ThreeScaleBackupPlan.Of(context);
        context.Log.Information("{0}", $"{ThreeScaleTargets.Backup} of namespace {plan.Settings.Namespace} on cluster '{plan.Cluster}' into {plan.BackupFolder}: " +
            string.Join(", ", plan.Workloads.ByName.Values.Select(w => w.ToString())) + $"; keeping {plan.Keep} set(s).");
        context.Journal.RecordFact("systemDatabase", plan.Workloads.DatabaseName);
        if (plan.Gate is { } gate)
        {
            context.Log.Information("{0}", $"Scheduled ({plan.Schedule}): {gate.Reason}.");
            context.Journal.RecordFact("schedule", gate.Reason);
        }
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ThreeScaleBackupPlan.Of((RunbookContext)context);
        if (plan.Gate is { Run: false } gate)
        {
            yield return $"nothing: {gate.Reason}";
            yield break;
        }
        yield return $"write a backup set {ThreeScaleInstall.BackupKind}-<yyyyMMdd-HHmmss> in {plan.BackupFolder}: {plan.Workloads.DatabaseFile}, {ThreeScaleInstall.StorageFile}, " +
            $"{ThreeScaleInstall.ZyncFile}, {ThreeScaleInstall.BackendRedisFile}, {ThreeScaleInstall.SystemRedisFile} (after a BGSAVE in each Redis), " +
            $"{ThreeScaleInstall.Secrets.Count} Secrets and {ThreeScaleInstall.ConfigMaps.Count} ConfigMaps as NAME.json";
    }
}

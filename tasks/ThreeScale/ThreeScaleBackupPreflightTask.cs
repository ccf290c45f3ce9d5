using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.ThreeScale;

/// <summary>Finds the 3scale workloads (which system database, DeploymentConfigs or Deployments); changes nothing.</summary>
[TaskName("ThreeScaleBackupPreflight")]
[TaskDescription("Finds the 3scale workloads and the system database variant; changes nothing")]
public sealed class ThreeScaleBackupPreflightTask : FrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override void Run(RunbookContext context)
    {
        var plan = ThreeScaleBackupPlan.Of(context);
        context.Log.Information("{0}", $"{ThreeScaleTargets.Backup} of namespace {plan.Settings.Namespace} on cluster '{plan.Cluster}' into {plan.BackupFolder}: " +
            string.Join(", ", plan.Workloads.ByName.Values.Select(w => w.ToString())));
        context.Journal.RecordFact("systemDatabase", plan.Workloads.DatabaseName);
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ThreeScaleBackupPlan.Of((RunbookContext)context);
        yield return $"write a backup set {ThreeScaleInstall.BackupKind}-<yyyyMMdd-HHmmss> in {plan.BackupFolder}: {plan.Workloads.DatabaseFile}, {ThreeScaleInstall.StorageFile}, " +
            $"{ThreeScaleInstall.ZyncFile}, {ThreeScaleInstall.BackendRedisFile}, {ThreeScaleInstall.SystemRedisFile} (after a BGSAVE in each Redis), " +
            $"{ThreeScaleInstall.Secrets.Count} Secrets and {ThreeScaleInstall.ConfigMaps.Count} ConfigMaps as NAME.json";
    }
}

using KubeRunbooks.Clusters;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Runbooks.Plans;
using KubeRunbooks.Tasks.OpenShift;

namespace KubeRunbooks.Tasks.ThreeScale;

/// <summary>What ThreeScaleBackup will do, decided before anything is written: the workloads found, the set's folder.</summary>
public sealed record ThreeScaleBackupPlan : IRunbookPlan
{
    /// <summary>The profile's 3scale names.</summary>
    public required ThreeScaleSettings Settings { get; init; }

    /// <summary>The profile name, recorded in the set.</summary>
    public required string Cluster { get; init; }

    /// <summary>The profile's backup folder (full path).</summary>
    public required string BackupFolder { get; init; }

    /// <summary>The workloads backed up.</summary>
    public required ThreeScaleWorkloads Workloads { get; init; }

    /// <inheritdoc />
    public string LockNamespace => Settings.Namespace;

    /// <inheritdoc />
    public OperationOpening? Opens => null;

    /// <summary>The plan of this run.</summary>
    public static ThreeScaleBackupPlan Of(RunbookContext context) => context.Plan<ThreeScaleBackupPlan>();

    /// <summary>Builds the plan: reads only.</summary>
    public static async Task<ThreeScaleBackupPlan> BuildAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        var settings = context.Profile.Require<ThreeScaleSettings>();
        var workloads = await ThreeScaleWorkloads.FindAsync(new WorkloadRollout(context.Kubernetes, OpenShiftApis.DeploymentConfigs), settings.Namespace,
            [ThreeScaleInstall.SystemApp, ThreeScaleInstall.ZyncDatabase, ThreeScaleInstall.BackendRedis, ThreeScaleInstall.SystemRedis], cancellationToken).ConfigureAwait(false);
        return new ThreeScaleBackupPlan
        {
            Settings = settings,
            Cluster = context.Profile.Name,
            BackupFolder = Path.GetFullPath(context.Profile.Backups.Folder, context.Environment.WorkingDirectory.FullPath),
            Workloads = workloads,
        };
    }
}

using KubeRunbooks.Backups;
using KubeRunbooks.Clusters;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Runbooks.Plans;
using KubeRunbooks.Tasks.OpenShift;

namespace KubeRunbooks.Tasks.ThreeScale;

/// <summary>
/// What ThreeScaleBackup will do, decided before anything is written: the workloads found, the set's folder, the
/// complete sets kept (the profile's <c>backups.retention</c>) and, with <c>--scheduled</c>, whether a slot of the
/// profile's <c>schedule</c> has passed since the last good set.
/// </summary>
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

    /// <summary>Complete 3scale sets kept (the profile's backups.retention); older ones are deleted after a new set is written.</summary>
    public required int Keep { get; init; }

    /// <summary>The weekly slots a --scheduled run follows (the profile's schedule; empty: every scheduled run backs up).</summary>
    public required WeeklySchedule Schedule { get; init; }

    /// <summary>With --scheduled: the gate's decision; null for a run on demand.</summary>
    public ScheduleDecision? Gate { get; init; }

    /// <summary>False when a --scheduled run has nothing to do yet.</summary>
    public bool Runs => Gate?.Run ?? true;

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
        var folder = Path.GetFullPath(context.Profile.Backups.Folder, context.Environment.WorkingDirectory.FullPath);
        var gate = ScheduledBackup.Decide(context.Arguments.HasArgument("scheduled"), context.Profile.Schedule, new BackupStore(folder), ThreeScaleInstall.BackupKind, DateTimeOffset.UtcNow);
        return new ThreeScaleBackupPlan
        {
            Settings = settings,
            Cluster = context.Profile.Name,
            BackupFolder = folder,
            Workloads = workloads,
            Keep = context.Profile.Backups.Retention,
            Schedule = context.Profile.Schedule,
            Gate = gate,
        };
    }
}

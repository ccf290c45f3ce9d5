using KubeRunbooks.Backups;
using KubeRunbooks.Clusters;
using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Runbooks.Plans;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>
/// What PostgresBackup will do, decided before anything is written: the database and its container (they must
/// exist), the backup folder, the generations kept and, with <c>--scheduled</c>, whether a slot has passed.
/// </summary>
public sealed record PostgresBackupPlan : IRunbookPlan
{
    /// <summary>The kind of the sets (the set folder's prefix, what retention counts).</summary>
    public const string Kind = "postgres";

    /// <summary>The seed's default weekly slot (<c>BackupPostgresTimerOptions__WeeklyTimeSchedule</c>).</summary>
    public static readonly WeeklySchedule DefaultSchedule = WeeklySchedule.TryParse(BackupTimerSettings.DefaultWeeklyTimeSchedule, out var s, out _) ? s : WeeklySchedule.Empty;

    /// <summary>The profile's KAMONOHASHI names.</summary>
    public required KamonohashiSettings Settings { get; init; }

    /// <summary>The profile name.</summary>
    public required string Cluster { get; init; }

    /// <summary>The database workload dumped.</summary>
    public required WorkloadRef Database { get; init; }

    /// <summary>The backup folder (absolute).</summary>
    public required string BackupFolder { get; init; }

    /// <summary>Complete sets kept: the newest backups.retention (the seed's MaxNumberOfBackupFiles) and the profile's daily / weekly / monthly generations.</summary>
    public required RetentionPolicy Retention { get; init; }

    /// <summary>Compress the dump (gzip) with --compress.</summary>
    public required bool Compress { get; init; }

    /// <summary>The weekly slots a --scheduled run follows (the profile's schedule, else the seed's default).</summary>
    public required WeeklySchedule Schedule { get; init; }

    /// <summary>With --scheduled: the gate's decision; null for a run on demand.</summary>
    public ScheduleDecision? Gate { get; init; }

    /// <summary>False when a --scheduled run has nothing to do yet.</summary>
    public bool Runs => Gate?.Run ?? true;

    /// <inheritdoc />
    public string LockNamespace => Settings.Namespace;

    /// <inheritdoc />
    public OperationOpening? Opens => null;

    /// <summary>The seed's file name: <c>kqi-backup-yyyyMMdd.sql</c> (<c>.sql.gz</c> compressed), the UTC day of the set.</summary>
    public static string FileName(DateTimeOffset at, bool compress) => $"kqi-backup-{at.UtcDateTime:yyyyMMdd}.sql{(compress ? ".gz" : "")}";

    /// <summary>Builds the plan: reads only.</summary>
    public static async Task<PostgresBackupPlan> BuildAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        var settings = context.Profile.Require<KamonohashiSettings>();
        var database = KamonohashiDatabase.WorkloadOf(settings);
        await KamonohashiDatabase.RequireContainerAsync(context, settings, cancellationToken).ConfigureAwait(false);
        var folder = Path.GetFullPath(context.Profile.Backups.Folder, context.Environment.WorkingDirectory.FullPath);
        var schedule = context.Profile.Schedule.Slots.Count > 0 ? context.Profile.Schedule : DefaultSchedule;
        var gate = ScheduledBackup.Decide(context.Arguments.HasArgument("scheduled"), schedule, new BackupStore(folder), Kind, DateTimeOffset.UtcNow);
        return new PostgresBackupPlan
        {
            Settings = settings,
            Cluster = context.Profile.Name,
            Database = database,
            BackupFolder = folder,
            Retention = RetentionPolicy.From(context.Profile.Backups),
            Compress = context.Arguments.HasArgument("compress"),
            Schedule = schedule,
            Gate = gate,
        };
    }
}

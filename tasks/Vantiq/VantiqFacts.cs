using System.Globalization;
using KubeRunbooks.Runbooks.Facts;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>The facts a Vantiq run records (report keys), each recorded once through <see cref="RunFacts"/>.</summary>
public static class VantiqFacts
{
    /// <summary>The version before the operation.</summary>
    public static readonly RunFact<string> VersionBefore = new("versionBefore");

    /// <summary>The version asked for.</summary>
    public static readonly RunFact<string> VersionTarget = new("versionTarget");

    /// <summary>The unfinished operation this run resumed.</summary>
    public static readonly RunFact<string> Resumed = new("resumed");

    /// <summary>The backup a restore uses.</summary>
    public static readonly RunFact<string> BackupToRestore = new("backupToRestore");

    /// <summary>The replicas recorded before the stop.</summary>
    public static readonly RunFact<string> ReplicasRecorded = new("replicasRecorded");

    /// <summary>The backup Job taken (its name is the backup id).</summary>
    public static readonly RunFact<string> BackupId = new("backupId");

    /// <summary>The version deployed.</summary>
    public static readonly RunFact<string> VersionAfter = new("versionAfter");

    /// <summary>The exit code of the schema migration container.</summary>
    public static readonly RunFact<int> MigrationExitCode = new("migrationExitCode");

    /// <summary>From the stop to the first pod Ready.</summary>
    public static readonly RunFact<TimeSpan> Downtime = new("downtime", d => d.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture));

    /// <summary>The replicas restored at the end.</summary>
    public static readonly RunFact<string> ReplicasRestored = new("replicasRestored");

    /// <summary>The backup restored.</summary>
    public static readonly RunFact<string> RestoredBackup = new("restoredBackup");

    /// <summary>The restore Job run.</summary>
    public static readonly RunFact<string> RestoreJob = new("restoreJob");
}

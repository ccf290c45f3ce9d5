using KubeRunbooks.Backups;
using KubeRunbooks.Runbooks.Facts;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>The facts an Exastro run records (report keys), each once through <see cref="RunFacts"/>.</summary>
public static class ExastroFacts
{
    /// <summary>The set being written by ExastroBackup (its name in the report).</summary>
    public static readonly RunFact<BackupSetWriter> BackupSet = new("backupSet", w => w.Name);

    /// <summary>The seed's <c>yyyyMMdd-HHmmss</c> in this backup's file names.</summary>
    public static readonly RunFact<string> Stamp = new("fileStamp");

    /// <summary>The replicas recorded before the stop (<c>NAME COUNT, ...</c>).</summary>
    public static readonly RunFact<string> ReplicasRecorded = new("replicasRecorded");

    /// <summary>The replicas the services were brought back to.</summary>
    public static readonly RunFact<string> ReplicasRestored = new("replicasRestored");

    /// <summary>The database layout (<c>shared</c> or <c>separate</c>).</summary>
    public static readonly RunFact<string> DatabaseServers = new("databaseServers");

    /// <summary>The set a restore put back.</summary>
    public static readonly RunFact<string> RestoredSet = new("restoredSet");
}

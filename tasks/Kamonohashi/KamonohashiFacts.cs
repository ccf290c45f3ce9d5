using KubeRunbooks.Runbooks.Facts;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>The facts KAMONOHASHI's database runs record for their later steps and the report.</summary>
public static class KamonohashiFacts
{
    /// <summary>The folder of the backup set this run wrote.</summary>
    public static readonly RunFact<string> BackupSet = new("backupSet");

    /// <summary>Where the database's data folder was moved aside (kept, never deleted).</summary>
    public static readonly RunFact<string> DataAside = new("dataAside");

    /// <summary>The backup set restored.</summary>
    public static readonly RunFact<string> RestoredSet = new("restoredSet");
}

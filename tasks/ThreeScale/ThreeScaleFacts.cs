using KubeRunbooks.Runbooks.Facts;

namespace KubeRunbooks.Tasks.ThreeScale;

/// <summary>What the 3scale steps of one run hand on to later steps.</summary>
public static class ThreeScaleFacts
{
    /// <summary>The folder of the backup set this run wrote.</summary>
    public static readonly RunFact<string> BackupSet = new("backupFolder");
}

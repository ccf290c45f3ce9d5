namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>The keys of a Vantiq operation's ledger record (the same names as the first release's flat record, so those stay readable).</summary>
public static class VantiqLedgerKeys
{
    /// <summary>Input: the version before the operation.</summary>
    public const string From = "from";

    /// <summary>Input: the version the operation goes to.</summary>
    public const string To = "to";

    /// <summary>Input: the full image before the operation (what a rollback returns to).</summary>
    public const string FromImage = "fromImage";

    /// <summary>Taken: the backup Job (its name is the backup id).</summary>
    public const string Backup = "backupId";

    /// <summary>Taken: the restore Job.</summary>
    public const string RestoreJob = "restoreJob";
}

namespace KubeRunbooks.Backups;

/// <summary>How a backup file is stored.</summary>
public enum BackupCompression
{
    /// <summary>As produced.</summary>
    None,

    /// <summary>gzip (possibly several members, which <c>gzip -dc</c> reads as one stream).</summary>
    Gzip,
}

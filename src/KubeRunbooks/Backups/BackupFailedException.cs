namespace KubeRunbooks.Backups;

/// <summary>A backup file or set is not good (incomplete, failed its checks); nothing was left under its final name.</summary>
public sealed class BackupFailedException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public BackupFailedException(string message, Exception? inner = null) : base(message, inner) { }
}

namespace KubeRunbooks.Backups.Trees;

/// <summary>A tree restore failed; the message says in what state it left the tree and where what it moved aside is.</summary>
public sealed class TreeRestoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TreeRestoreException(string message, Exception? inner = null) : base(message, inner) { }
}

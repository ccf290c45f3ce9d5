namespace KubeRunbooks.Backups.Trees;

/// <summary>What a path in a file tree is.</summary>
public enum TreeEntryKind
{
    /// <summary>A regular file.</summary>
    File,

    /// <summary>A folder.</summary>
    Directory,

    /// <summary>A symbolic link.</summary>
    Link,

    /// <summary>Anything else (a device, a FIFO, a socket): listed, never copied.</summary>
    Other,
}

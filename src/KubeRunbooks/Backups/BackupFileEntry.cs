namespace KubeRunbooks.Backups;

/// <summary>One file of a backup set as its manifest records it.</summary>
public sealed record BackupFileEntry
{
    /// <summary>The file name in the set.</summary>
    public required string Name { get; init; }

    /// <summary>What it holds.</summary>
    public required BackupContent Content { get; init; }

    /// <summary>How it is stored.</summary>
    public required BackupCompression Compression { get; init; }

    /// <summary>The namespace of the object read, or null.</summary>
    public string? Namespace { get; init; }

    /// <summary>The object read, or null.</summary>
    public string? Object { get; init; }

    /// <summary>The command that produced it, with no secret, or null.</summary>
    public string? Command { get; init; }

    /// <summary>Bytes of the file as stored.</summary>
    public required long Size { get; init; }

    /// <summary>Bytes of its content before compression.</summary>
    public required long ContentSize { get; init; }

    /// <summary>SHA-256 of the file as stored, lower-case hex.</summary>
    public required string Sha256 { get; init; }

    /// <summary>When writing began.</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>When the file was complete.</summary>
    public required DateTimeOffset Finished { get; init; }
}

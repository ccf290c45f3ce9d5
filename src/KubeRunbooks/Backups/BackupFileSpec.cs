namespace KubeRunbooks.Backups;

/// <summary>A file to write into a backup set: its name and where its content comes from (recorded in the manifest).</summary>
/// <param name="Name">The file name in the set (the seed's name, e.g. <c>kqi-backup-20261206.sql</c>); no folders.</param>
/// <param name="Content">What it holds, for the completeness check.</param>
/// <param name="Compression">How it is stored.</param>
public sealed record BackupFileSpec(string Name, BackupContent Content, BackupCompression Compression = BackupCompression.None)
{
    /// <summary>The namespace of the object read, or null for a local source.</summary>
    public string? Namespace { get; init; }

    /// <summary>The object read, e.g. <c>pod/postgres-0</c> or <c>secret/system-seed</c>.</summary>
    public string? Object { get; init; }

    /// <summary>The command that produced it, as recorded: never with a secret value (secrets travel in the environment).</summary>
    public string? Command { get; init; }
}

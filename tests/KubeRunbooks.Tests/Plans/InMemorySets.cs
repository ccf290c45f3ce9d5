using KubeRunbooks.Backups;

namespace KubeRunbooks.Tests.Plans;

/// <summary>Verified backup sets built in memory for plan tests: a manifest naming files, nothing on disk.</summary>
internal static class InMemorySets
{
    /// <summary>A set folder <c>/backups/NAME</c> of <paramref name="kind"/> holding <paramref name="files"/>.</summary>
    public static VerifiedBackupSet Set(string name, string kind, IEnumerable<BackupFileEntry> files) => new(
        "/backups/" + name,
        new BackupManifest
        {
            Kind = kind,
            Cluster = "prod",
            ToolVersion = "test",
            Started = DateTimeOffset.UnixEpoch,
            Finished = DateTimeOffset.UnixEpoch,
            Result = "complete",
            Files = files.ToList(),
        });

    /// <summary>A file entry; <paramref name="kubernetesObject"/> (<c>kind/name</c>) for an exported object.</summary>
    public static BackupFileEntry File(string name, string? kubernetesObject = null) => new()
    {
        Name = name,
        Content = BackupContent.Raw,
        Compression = BackupCompression.Gzip,
        Object = kubernetesObject,
        Size = 1,
        ContentSize = 1,
        Sha256 = new string('0', 64),
        Started = DateTimeOffset.UnixEpoch,
        Finished = DateTimeOffset.UnixEpoch,
    };
}

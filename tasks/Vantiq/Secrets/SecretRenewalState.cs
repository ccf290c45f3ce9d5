using KubeRunbooks.Secrets;

namespace KubeRunbooks.Tasks.Vantiq.Secrets;

/// <summary>What the steps of one renewal changed so far, so a failure can put it back (shared through the run state).</summary>
public sealed class SecretRenewalState
{
    /// <summary>The set archived by a renewal (null when nothing was in place).</summary>
    public ArchivedSet? Archived { get; set; }

    /// <summary>True once the files of the folder were changed.</summary>
    public bool FolderChanged { get; set; }

    /// <summary>The names a rollback kept the replaced files under.</summary>
    public IReadOnlyList<string> KeptAside { get; set; } = [];

    /// <summary>The Secrets written so far.</summary>
    public List<SecretSpec> Written { get; } = [];

    /// <summary>The fingerprints read back, per secret.</summary>
    public Dictionary<string, IReadOnlyDictionary<string, string>> Verified { get; } = [];
}

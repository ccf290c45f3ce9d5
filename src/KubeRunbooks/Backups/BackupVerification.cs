namespace KubeRunbooks.Backups;

/// <summary>The outcome of <see cref="BackupVerifier.VerifyAsync"/>.</summary>
/// <param name="SetFolder">The set checked.</param>
/// <param name="Manifest">Its manifest, or null when it could not be read.</param>
/// <param name="Problems">One line per problem.</param>
public sealed record BackupVerification(string SetFolder, BackupManifest? Manifest, IReadOnlyList<string> Problems)
{
    /// <summary>Whether the set can be restored.</summary>
    public bool IsGood => Manifest is not null && Problems.Count == 0;
}

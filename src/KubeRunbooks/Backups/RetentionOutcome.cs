namespace KubeRunbooks.Backups;

/// <summary>What <see cref="BackupRetention.Apply"/> did.</summary>
/// <param name="Kept">Sets of the kind still there, newest first.</param>
/// <param name="Deleted">Sets deleted.</param>
/// <param name="Unreadable">Folders left alone because their manifest could not be read.</param>
public sealed record RetentionOutcome(IReadOnlyList<string> Kept, IReadOnlyList<string> Deleted, IReadOnlyList<string> Unreadable);

namespace KubeRunbooks.Backups;

/// <summary>
/// Which complete sets of a kind are kept: the newest <see cref="Keep"/> (the profile's <c>backups.retention</c>,
/// KAMONOHASHI's <c>MaxNumberOfBackupFiles</c>), plus the newest set of each of the last <see cref="Daily"/> days,
/// <see cref="Weekly"/> weeks (Monday to Sunday) and <see cref="Monthly"/> months that have one.
/// </summary>
/// <param name="Keep">The newest sets kept (at least 1).</param>
/// <param name="Daily">Daily generations kept.</param>
/// <param name="Weekly">Weekly generations kept.</param>
/// <param name="Monthly">Monthly generations kept.</param>
public sealed record RetentionPolicy(int Keep, int Daily = 0, int Weekly = 0, int Monthly = 0);

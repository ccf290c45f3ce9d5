namespace KubeRunbooks.Backups;

/// <summary>Whether a scheduled backup runs now, and why (said in the log either way).</summary>
/// <param name="Run">Whether to back up.</param>
/// <param name="Reason">Why, for the log.</param>
public sealed record ScheduleDecision(bool Run, string Reason);

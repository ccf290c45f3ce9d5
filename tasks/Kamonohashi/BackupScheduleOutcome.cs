namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>What the steps of one SetBackupSchedule run did (shared through the run state).</summary>
public sealed class BackupScheduleOutcome
{
    /// <summary>True once the new values were written to the cluster in this run.</summary>
    public bool Written { get; set; }
}

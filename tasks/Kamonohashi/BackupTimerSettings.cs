namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>
/// KAMONOHASHI's own backup timer settings (seed 000, settings.yml <c>appsettings</c>): the keys the application reads
/// and the defaults it uses when they are not set (commented out in the seed's "before").
/// </summary>
public static class BackupTimerSettings
{
    /// <summary>The weekly slots of the application's PostgreSQL backup.</summary>
    public const string WeeklyTimeSchedule = "BackupPostgresTimerOptions__WeeklyTimeSchedule";

    /// <summary>How many backup files the application keeps.</summary>
    public const string MaxNumberOfBackupFiles = "BackupPostgresTimerOptions__MaxNumberOfBackupFiles";

    /// <summary>The application's default when the key is not set: every Sunday at 01:00.</summary>
    public const string DefaultWeeklyTimeSchedule = "Sun=01:00:00";

    /// <summary>The application's default when the key is not set: one generation.</summary>
    public const string DefaultMaxNumberOfBackupFiles = "1";
}

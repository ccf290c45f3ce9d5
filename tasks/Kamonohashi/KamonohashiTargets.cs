namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>The KAMONOHASHI runbook target names (the public interface: <c>./build.sh --target=NAME</c>).</summary>
public static class KamonohashiTargets
{
    /// <summary>The seed's "バックアップ設定を変更する": the application's weekly backup slots and generations.</summary>
    public const string SetBackupSchedule = "SetBackupSchedule";

    /// <summary>The seed's NFS storage tree as tar.gz into a verified backup set.</summary>
    public const string StorageBackup = "StorageBackup";

    /// <summary>The storage tree restored from a verified set (--backup=SET [--delete]).</summary>
    public const string StorageRestore = "StorageRestore";

    /// <summary>The seed's "credentials storage": a new MinIO secret key, MinIO and its consumers rolled out and checked.</summary>
    public const string RotateStoragePassword = "RotateStoragePassword";

    /// <summary>The seed's database backup: pg_dumpall into kqi-backup-yyyyMMdd.sql, generations kept.</summary>
    public const string PostgresBackup = "PostgresBackup";

    /// <summary>The seed's "データベースの復元": a dump restored into a fresh data folder, the old one kept aside.</summary>
    public const string PostgresRestore = "PostgresRestore";

    /// <summary>The seed's <c>deploy-kamonohashi.sh credentials db</c>: a new database password.</summary>
    public const string RotateDatabasePassword = "RotateDatabasePassword";

    /// <summary>The seed's <c>deploy-kamonohashi.sh credentials all</c>: the database password, then the storage secret key.</summary>
    public const string RotateCredentials = "RotateCredentials";
}

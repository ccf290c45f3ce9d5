namespace KubeRunbooks.Tasks.ThreeScale;

/// <summary>The names of seed 004's 3scale install: workloads, the files of a backup set, paths in the pods.</summary>
public static class ThreeScaleInstall
{
    /// <summary>The 13 Secrets the seed exports and applies, in its order.</summary>
    public static readonly IReadOnlyList<string> Secrets =
    [
        "system-smtp", "system-seed", "system-database", "backend-internal-api", "system-events-hook", "system-app", "system-recaptcha",
        "system-redis", "zync", "system-master-apicast", "backend-listener", "backend-redis", "system-memcache",
    ];

    /// <summary>The 7 ConfigMaps the seed exports and applies, in its order.</summary>
    public static readonly IReadOnlyList<string> ConfigMaps =
        ["system-environment", "apicast-environment", "backend-environment", "mysql-extra-conf", "mysql-main-conf", "redis-config", "system"];

    /// <summary>The system database on MariaDB / MySQL.</summary>
    public const string SystemMysql = "system-mysql";

    /// <summary>The system database on PostgreSQL.</summary>
    public const string SystemDatabase = "system-database";

    /// <summary>The system application (holds the storage folder).</summary>
    public const string SystemApp = "system-app";

    /// <summary>Where <c>bundle exec rake zync:resync:domains</c> runs.</summary>
    public const string SystemSidekiq = "system-sidekiq";

    /// <summary>Zync's PostgreSQL.</summary>
    public const string ZyncDatabase = "zync-database";

    /// <summary>Backend's Redis.</summary>
    public const string BackendRedis = "backend-redis";

    /// <summary>System's Redis.</summary>
    public const string SystemRedis = "system-redis";

    /// <summary>Backend's worker, rolled out after the restore.</summary>
    public const string BackendWorker = "backend-worker";

    /// <summary>The system storage folder in system-app.</summary>
    public const string StorageFolder = "/opt/system/public/system";

    /// <summary>The Redis data folder.</summary>
    public const string RedisDataFolder = "/var/lib/redis/data";

    /// <summary>The Redis configuration ConfigMap and its file.</summary>
    public const string RedisConfigMap = "redis-config", RedisConfigKey = "redis.conf";

    /// <summary>The MySQL database the seed dumps (<c>mysqldump ... system</c>).</summary>
    public const string MysqlDatabase = "system";

    /// <summary>Backup file names, the seed's.</summary>
    public const string MysqlFile = "system-mysql-backup.gz", PostgresFile = "system-postgres-backup.gz", StorageFile = "system-storage.tar.gz",
        ZyncFile = "zync-database-backup.gz", BackendRedisFile = "backend-redis-dump.rdb", SystemRedisFile = "system-redis-dump.rdb";

    /// <summary>The backup set kind (the set folder's name starts with it).</summary>
    public const string BackupKind = "threescale";

    /// <summary>The label selector of a workload's pods, as the seed's <c>oc get pods -l</c>.</summary>
    public static string PodSelector(string workload) => $"deploymentConfig={workload}";

    /// <summary>The seed's open issues, as warnings with what an operator should check after a restore.</summary>
    public static readonly IReadOnlyList<string> OpenIssues =
    [
        "The seed leaves open how System's Sphinx search index is restored: check that searches in the Admin Portal find accounts and applications; if not, reindex it (in system-sphinx or system-searchd, depending on the version).",
        "The seed leaves open how job queues are restored: background jobs queued in backend-redis and system-redis when the backup was taken are back and may run twice, and jobs queued after it are lost. Check the Sidekiq queues (system-sidekiq) and backend-worker's logs for failed or repeated jobs.",
    ];
}

namespace KubeRunbooks.Tasks.ThreeScale;

/// <summary>Which system database the install runs: <c>system-mysql</c> (MariaDB / MySQL) or <c>system-database</c> (PostgreSQL).</summary>
public enum ThreeScaleSystemDatabase
{
    /// <summary><c>system-mysql</c>, dumped with <c>mysqldump --single-transaction</c> into <c>system-mysql-backup.gz</c>.</summary>
    Mysql,

    /// <summary><c>system-database</c>, dumped with <c>pg_dumpall -c --if-exists</c> into <c>system-postgres-backup.gz</c>.</summary>
    Postgres,
}

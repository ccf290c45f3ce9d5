namespace KubeRunbooks.Backups;

/// <summary>What a backup file holds, which decides how it is checked for completeness.</summary>
public enum BackupContent
{
    /// <summary>Bytes with no structure to check beyond size and checksum.</summary>
    Raw,

    /// <summary><c>pg_dumpall</c> output: ends with <c>-- PostgreSQL database cluster dump complete</c>.</summary>
    PostgresClusterDump,

    /// <summary><c>pg_dump</c> output (plain format): ends with <c>-- PostgreSQL database dump complete</c>.</summary>
    PostgresDatabaseDump,

    /// <summary><c>mysqldump</c> / <c>mariadb-dump</c> output: ends with <c>-- Dump completed on …</c> (or <c>-- Dump completed</c>).</summary>
    MysqlDump,

    /// <summary>A tar archive: every entry readable to its declared size.</summary>
    Tar,

    /// <summary>A Redis RDB file: starts with <c>REDIS</c> and ends with the EOF opcode and its 8-byte checksum.</summary>
    RedisRdb,
}

using System.Text;

namespace KubeRunbooks.Backups;

/// <summary>
/// The end a complete dump has: its tool writes a completion line last, so a dump cut short (an exec that ended
/// early "successfully", kubernetes #73056) lacks it even when every byte that came is intact.
/// </summary>
public static class CompletionMarkers
{
    /// <summary><c>pg_dumpall</c>'s last line.</summary>
    public const string PostgresCluster = "-- PostgreSQL database cluster dump complete";

    /// <summary><c>pg_dump</c>'s last line (plain format).</summary>
    public const string PostgresDatabase = "-- PostgreSQL database dump complete";

    /// <summary>The start of <c>mysqldump</c>'s last line (<c>-- Dump completed on YYYY-MM-DD HH:MM:SS</c>).</summary>
    public const string Mysql = "-- Dump completed";

    /// <summary>Bytes of the content's end needed for the check.</summary>
    public const int TailBytes = 4096;

    /// <summary>Bytes of the content's start needed for the check.</summary>
    public const int HeadBytes = 16;

    /// <summary>The problem with the content's start and end for its kind, or null when it is complete.</summary>
    /// <param name="content">What the file holds.</param>
    /// <param name="head">Its first bytes (up to <see cref="HeadBytes"/>).</param>
    /// <param name="tail">Its last bytes (up to <see cref="TailBytes"/>).</param>
    public static string? Check(BackupContent content, ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail)
    {
        switch (content)
        {
            case BackupContent.PostgresClusterDump:
                return LastLine(tail) == PostgresCluster ? null : $"does not end with '{PostgresCluster}' (the dump is incomplete)";
            case BackupContent.PostgresDatabaseDump:
                return LastLine(tail) == PostgresDatabase ? null : $"does not end with '{PostgresDatabase}' (the dump is incomplete)";
            case BackupContent.MysqlDump:
                return LastLine(tail).StartsWith(Mysql, StringComparison.Ordinal) ? null : $"does not end with '{Mysql} on …' (the dump is incomplete)";
            case BackupContent.RedisRdb:
                if (!head.StartsWith("REDIS"u8)) return "does not start with 'REDIS' (not an RDB file)";
                return tail.Length >= 9 && tail[^9] == 0xFF ? null : "does not end with the RDB end-of-file opcode (the dump is incomplete)";
            default:
                return null;
        }
    }

    /// <summary>
    /// The last meaningful line: trailing blank lines, bare <c>--</c> comment lines and PostgreSQL's
    /// <c>\unrestrict KEY</c> (15.14 and later) do not count.
    /// </summary>
    private static string LastLine(ReadOnlySpan<byte> tail)
    {
        var lines = Encoding.UTF8.GetString(tail).Split('\n');
        for (var i = lines.Length - 1; i >= 0; i--)
        {
            var line = lines[i].TrimEnd('\r', ' ', '\t');
            if (line.Length == 0 || line == "--" || line.StartsWith("\\unrestrict ", StringComparison.Ordinal)) continue;
            return line;
        }
        return "";
    }
}

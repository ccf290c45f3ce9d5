using System.Globalization;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>The seed's file names in a backup set (<c>exastro_mysqldump_platform_db_&lt;yyyyMMdd-HHmmss&gt;.sql.gz</c>, ...).</summary>
public static class ExastroFiles
{
    /// <summary>The backup kind (the set folder's name start).</summary>
    public const string Kind = "exastro";

    /// <summary>The storage archive's name prefix.</summary>
    public const string StoragePrefix = "exastro_storage_backup_ita_";

    /// <summary>The encryption key Secrets' name prefix (one file per Secret).</summary>
    public const string EncryptionKeyPrefix = "exastro_encrypt_key_";

    /// <summary>The seed's <c>date +"%Y%m%d-%H%M%S"</c> (UTC here, as the set's name).</summary>
    public static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);

    /// <summary><c>PREFIX&lt;stamp&gt;.sql.gz</c>.</summary>
    public static string Dump(string prefix, string stamp) => $"{prefix}{stamp}.sql.gz";

    /// <summary><c>exastro_storage_backup_ita_&lt;stamp&gt;.tar.gz</c>.</summary>
    public static string Storage(string stamp) => $"{StoragePrefix}{stamp}.tar.gz";

    /// <summary><c>exastro_encrypt_key_&lt;secret&gt;.json</c>: the Secret as exported, server-owned fields removed.</summary>
    public static string EncryptionKey(string secret) => $"{EncryptionKeyPrefix}{secret}.json";
}

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>
/// One database server the seed backs up: Platform's (always) or ITA's (with separate servers). Host, port and admin
/// user are the maintenance pod's env (<c>PF_DB_*</c> / <c>ITA_DB_*</c>, as in the seed's commands); the admin
/// password is read from <see cref="Secret"/> and reaches the clients as <c>MYSQL_PWD</c> only.
/// </summary>
/// <param name="Role">The seed's file name part: <c>platform</c> or <c>ita</c>.</param>
/// <param name="EnvPrefix">The maintenance pod's env prefix: <c>PF</c> or <c>ITA</c>.</param>
/// <param name="Secret">The Secret with <c>DB_ADMIN_USER</c> and <c>DB_ADMIN_PASSWORD</c>.</param>
/// <param name="Endpoint">The server as the ConfigMap names it (<c>HOST:PORT</c>), for messages.</param>
public sealed record ExastroDatabase(string Role, string EnvPrefix, string Secret, string Endpoint)
{
    /// <summary>The key of the admin password in <see cref="Secret"/>.</summary>
    public const string PasswordKey = "DB_ADMIN_PASSWORD";

    /// <summary>The client options naming the server and user, from the maintenance pod's env.</summary>
    public string Connection => $"-h \"${EnvPrefix}_DB_HOST\" -P \"${EnvPrefix}_DB_PORT\" -u \"${EnvPrefix}_DB_ADMIN_USER\"";

    /// <summary>The application dump's file name prefix (<c>exastro_mysqldump_platform_db_</c>).</summary>
    public string DatabaseFilePrefix => $"exastro_mysqldump_{Role}_db_";

    /// <summary>The user dump's file name prefix (<c>exastro_mysqldump_platform_user_</c>).</summary>
    public string UserFilePrefix => $"exastro_mysqldump_{Role}_user_";

    /// <summary>The application databases' dump: <c>mysqldump … --all-databases --add-drop-table</c>.</summary>
    public string DumpDatabasesCommand => $"exec mysqldump {Connection} --all-databases --add-drop-table";

    /// <summary>The users' dump: <c>mysqldump … --allow-keywords mysql</c>.</summary>
    public string DumpUsersCommand => $"exec mysqldump {Connection} --allow-keywords mysql";

    /// <summary>The users' restore: <c>mysql … mysql</c> fed the user dump.</summary>
    public string RestoreUsersCommand => $"exec mysql {Connection} mysql";

    /// <summary>The databases' restore: <c>mysql …</c> fed the application dump, DEFINER clauses stripped.</summary>
    public string RestoreDatabasesCommand => $"exec mysql {Connection}";
}

namespace KubeRunbooks.Simulator.Runtime.Images;

/// <summary>
/// Which images run a real server: by the repository's last segment, <c>postgres*</c> / <c>postgresql*</c>
/// (PostgreSQL), <c>mariadb*</c> / <c>mysql*</c> (MariaDB) and <c>redis*</c> (Redis). Red Hat's images
/// (<c>registry.redhat.io</c>, <c>rhel*</c> paths, <c>postgresql-10</c>, <c>mysql-80</c>, <c>redis-6</c>) keep their
/// data and <c>HOME</c> where those images do (<c>/var/lib/pgsql</c>, <c>/var/lib/mysql/data</c>, <c>/var/lib/redis/data</c>).
/// </summary>
public static class ServerImages
{
    private const int SigInt = 2, SigTerm = 15;
    private const string Prefix = "KubeRunbooks.Simulator.Runtime.Images.";

    /// <summary>The server an image runs, or null for any other image.</summary>
    public static ServerImage? Find(string? image)
    {
        var reference = PulledImage.Parse(image);
        var name = reference.ShortName.ToLowerInvariant();
        var redHat = reference.Repository.Contains("redhat", StringComparison.OrdinalIgnoreCase) ||
                     reference.Repository.Contains("rhel", StringComparison.OrdinalIgnoreCase) ||
                     name.Contains('-', StringComparison.Ordinal);
        if (name.StartsWith("postgres", StringComparison.Ordinal))
            return new ServerImage("PostgreSQL", "postgresql", "/usr/lib/postgresql/*/bin/postgres", Prefix + "postgres.sh", "postgres", 5432,
                redHat ? "/var/lib/pgsql/data/userdata" : "/var/lib/postgresql/data", redHat ? "/var/lib/pgsql" : "/root", SigInt);
        if (name.StartsWith("mariadb", StringComparison.Ordinal) || name.StartsWith("mysql", StringComparison.Ordinal))
            return new ServerImage("MariaDB", "mariadb-server", "/usr/sbin/mariadbd", Prefix + "mariadb.sh", "mysql", 3306,
                redHat ? "/var/lib/mysql/data" : "/var/lib/mysql", redHat ? "/var/lib/mysql" : "/root", SigTerm);
        if (name.StartsWith("redis", StringComparison.Ordinal))
            return new ServerImage("Redis", "redis-server", "/usr/bin/redis-server", Prefix + "redis.sh", "redis", 6379,
                redHat ? "/var/lib/redis/data" : "/data", redHat ? "/var/lib/redis" : "/root", SigTerm);
        return null;
    }
}

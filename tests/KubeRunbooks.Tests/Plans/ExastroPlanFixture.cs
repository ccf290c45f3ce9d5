using KubeRunbooks.Backups;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Tasks.Exastro;

namespace KubeRunbooks.Tests.Plans;

/// <summary>An Exastro install as a plan reads it (one shared database server unless <see cref="Separate"/>) and backup sets, in memory.</summary>
internal sealed class ExastroPlanFixture
{
    public const string Stamp = "20261201-030000";

    public bool Separate { get; set; }

    public OperationRecord? Unfinished { get; set; }

    public ExastroSettings Settings { get; set; } = new();

    public ExastroInstall Install()
    {
        var databases = new List<ExastroDatabase> { new("platform", "PF", "platform-secret-pf-database", "mariadb:3306") };
        if (Separate) databases.Add(new ExastroDatabase("ita", "ITA", "ita-secret-ita-database", "mariadb-ita:3306"));
        var proxy = WorkloadRef.Deployment("exastro", "platform-auth");
        return new ExastroInstall
        {
            Settings = Settings,
            Cluster = "prod",
            ReverseProxy = proxy,
            Backyard = [WorkloadRef.Deployment("exastro", "ita-by-menu-create")],
            Replicas = new Dictionary<WorkloadRef, int> { [proxy] = 1 },
            Databases = databases,
            Unfinished = Unfinished,
        };
    }

    public LedgerDecision Decide(string target, IReadOnlyDictionary<string, string>? given = null, bool fresh = false) =>
        ExastroPlan.Decide(Install(), target, given ?? new Dictionary<string, string>(), fresh);

    /// <summary>The files a backup of the shared (or, with <paramref name="separate"/>, separate) servers writes.</summary>
    public static List<string> SetFiles(bool separate)
    {
        var files = new List<string>
        {
            ExastroFiles.Dump("exastro_mysqldump_platform_user_", Stamp), ExastroFiles.Dump("exastro_mysqldump_platform_db_", Stamp),
            ExastroFiles.Storage(Stamp), ExastroFiles.EncryptionKey("ita-secret-ita-global"),
        };
        if (separate) files.AddRange([ExastroFiles.Dump("exastro_mysqldump_ita_user_", Stamp), ExastroFiles.Dump("exastro_mysqldump_ita_db_", Stamp)]);
        return files;
    }

    /// <summary>A verified set holding <paramref name="files"/>.</summary>
    public static VerifiedBackupSet Set(IEnumerable<string> files, string kind = ExastroFiles.Kind) =>
        InMemorySets.Set("exastro-" + Stamp, kind, files.Select(name => InMemorySets.File(name)));
}

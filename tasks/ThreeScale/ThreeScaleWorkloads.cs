using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Workloads;

namespace KubeRunbooks.Tasks.ThreeScale;

/// <summary>The workloads of a 3scale install as found on the cluster (DeploymentConfigs, or Deployments in operator installs).</summary>
/// <param name="Database">Which system database runs.</param>
/// <param name="ByName">Each workload found, by name.</param>
public sealed record ThreeScaleWorkloads(ThreeScaleSystemDatabase Database, IReadOnlyDictionary<string, WorkloadRef> ByName)
{
    /// <summary>The system database workload's name.</summary>
    public string DatabaseName => Database == ThreeScaleSystemDatabase.Mysql ? ThreeScaleInstall.SystemMysql : ThreeScaleInstall.SystemDatabase;

    /// <summary>The system database's backup file.</summary>
    public string DatabaseFile => Database == ThreeScaleSystemDatabase.Mysql ? ThreeScaleInstall.MysqlFile : ThreeScaleInstall.PostgresFile;

    /// <summary>A workload found.</summary>
    public WorkloadRef this[string name] => ByName[name];

    /// <summary>
    /// Finds the named workloads in <paramref name="ns"/>; the system database is whichever of system-mysql and
    /// system-database exists. A missing one is bad input (exit 2), named with what was looked for.
    /// </summary>
    public static async Task<ThreeScaleWorkloads> FindAsync(WorkloadRollout rollout, string ns, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var mysql = await rollout.FindAsync(ns, ThreeScaleInstall.SystemMysql, cancellationToken).ConfigureAwait(false);
        var postgres = await rollout.FindAsync(ns, ThreeScaleInstall.SystemDatabase, cancellationToken).ConfigureAwait(false);
        if (mysql is not null && postgres is not null)
            throw new InvalidInputException($"Namespace {ns} runs both {ThreeScaleInstall.SystemMysql} and {ThreeScaleInstall.SystemDatabase}: which one is the system database is unclear.");
        if (mysql is null && postgres is null)
            throw new InvalidInputException($"Namespace {ns} has no system database: neither a DeploymentConfig nor a Deployment named {ThreeScaleInstall.SystemMysql} or {ThreeScaleInstall.SystemDatabase} (threescale.namespace in the profile).");
        var found = new Dictionary<string, WorkloadRef>(StringComparer.Ordinal) { [(mysql ?? postgres)!.Name] = (mysql ?? postgres)! };
        foreach (var name in names.Distinct())
        {
            found[name] = await rollout.FindAsync(ns, name, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidInputException($"Namespace {ns} has no DeploymentConfig, Deployment or StatefulSet named {name} (threescale.namespace in the profile).");
        }
        return new ThreeScaleWorkloads(mysql is not null ? ThreeScaleSystemDatabase.Mysql : ThreeScaleSystemDatabase.Postgres, found);
    }
}

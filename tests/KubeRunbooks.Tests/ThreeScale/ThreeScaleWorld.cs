using System.Text;
using System.Text.Json.Nodes;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Simulator.Scenarios;
using KubeRunbooks.Simulator.Server;
using KubeRunbooks.Tests.Support;
using KubeRunbooks.Tests.Vantiq;

namespace KubeRunbooks.Tests.ThreeScale;

/// <summary>
/// A simulated cluster of one of the repository's 3scale scenarios (<c>threescale</c>: DeploymentConfigs and MariaDB;
/// <c>threescale-deployments</c>: Deployments and PostgreSQL), real servers in its pods, and a host workspace with
/// profile <c>test</c> reaching it. Commands run in the pods found by <c>deploymentConfig=NAME</c>, as the seed's.
/// </summary>
public sealed class ThreeScaleWorld : ClusterWorld
{
    /// <summary>The install's namespace.</summary>
    public const string Ns = "3scale";

    /// <summary>Every secret value of the scenarios' Secrets: none may appear in an output, report or argv.</summary>
    public static readonly string[] SecretValues =
    [
        "simulated-admin-password", "simulated-db-password", "simulated-root-password", "simulated-internal-api-password", "simulated-events-password",
        "simulated-secret-key-base", "simulated-zync-password", "simulated-zync-key-base", "simulated-zync-token", "simulated-apicast-token",
    ];

    private ThreeScaleWorld(TestCluster cluster) : base(cluster)
    {
        Rollout = new WorkloadRollout(Client, KubeRunbooks.Tasks.OpenShift.OpenShiftApis.DeploymentConfigs);
    }

    /// <summary>Finds pods and workloads as the runbook does.</summary>
    public WorkloadRollout Rollout { get; }

    /// <summary>The backup folder of profile <c>test</c>.</summary>
    public string BackupFolder => Path.Combine(Workspace.Folder, "backups");

    /// <summary>Starts the cluster of <paramref name="scenario"/> and waits until every 3scale pod is ready.</summary>
    public static async Task<ThreeScaleWorld> StartAsync(string scenario, bool enforceRbac = false)
    {
        var world = new ThreeScaleWorld(await TestCluster.OfScenario(scenario).WithRbac(enforceRbac).StartAsync("3scale"));
        world.WriteProfile();
        foreach (var name in new[] { "system-app", "system-sidekiq", "zync-database", "backend-redis", "system-redis", "backend-worker" })
            await world.PodAsync(name);
        return world;
    }

    /// <summary>
    /// (Re)writes profile <c>test</c>; <paramref name="threescale"/> is its <c>threescale</c> section's body,
    /// <paramref name="backups"/> its <c>backups</c> section's, <paramref name="schedule"/> its <c>schedule</c> (none when null).
    /// </summary>
    public void WriteProfile(string threescale = "{}", string backups = "{ folder: backups }", string? schedule = null) =>
        WriteClusterProfile("test",
            $"backups: {backups}\ntimeouts: {{ default: 120s, podReady: 120s, rollout: 120s, job: 300s }}\n" +
            (schedule is null ? "" : $"schedule: \"{schedule}\"\n") + $"threescale: {threescale}\n");

    /// <summary>Runs the host with profile <c>test</c>.</summary>
    public override HostRun Run(params string[] args) => base.Run(args.Prepend("--cluster=test").ToArray());

    /// <summary>Runs the host with environment variables and profile <c>test</c>.</summary>
    public override HostRun Run(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        base.Run(environment, args.Prepend("--cluster=test").ToArray());

    /// <summary>The audit log's text.</summary>
    public string AuditText() => File.Exists(Cluster.AuditLogPath) ? File.ReadAllText(Cluster.AuditLogPath) : "";

    /// <summary>A running, ready pod of the workload (waited for).</summary>
    public async Task<PodContainer> PodAsync(string workload)
    {
        var pod = await Rollout.WaitForPodAsync(Ns, $"deploymentConfig={workload}", TimeSpan.FromSeconds(90));
        return new PodContainer(Ns, pod.Metadata.Name, pod.Spec.Containers[0].Name);
    }

    /// <summary>Runs a command in the workload's pod; fails the test unless it exits 0; returns stdout, trimmed.</summary>
    public async Task<string> ExecAsync(string workload, params string[] command)
    {
        var pod = await PodAsync(workload);
        using var stdout = new MemoryStream();
        var errors = new StringBuilder();
        await new PodExec(Client).RunCheckedAsync(pod.Exec(command), stdout, null, line => errors.AppendLine(line));
        return Encoding.UTF8.GetString(stdout.ToArray()).Trim();
    }

    /// <summary>redis-cli in the workload's pod, against that pod's server.</summary>
    public async Task<string> RedisAsync(string workload, params string[] command)
    {
        var pod = await PodAsync(workload);
        return await ExecAsync(workload, ["redis-cli", "-h", pod.Pod, .. command]);
    }

    /// <summary>SQL through the system database's client in its pod (MariaDB as root, PostgreSQL as postgres on database system).</summary>
    public Task<string> SystemSqlAsync(bool mysql, string sql) => mysql
        ? ExecAsync("system-mysql", "sh", "-c", "MYSQL_PWD=\"$MYSQL_ROOT_PASSWORD\" exec mysql -N -B -h system-mysql -uroot system -e \"$1\"", "sql", sql)
        : ExecAsync("system-database", "psql", "-U", "postgres", "-d", "system", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql);

    /// <summary>SQL in zync's database.</summary>
    public Task<string> ZyncSqlAsync(string sql) =>
        ExecAsync("zync-database", "psql", "-U", "postgres", "-d", "zync_production", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql);
}

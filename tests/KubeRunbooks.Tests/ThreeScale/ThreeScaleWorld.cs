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
public sealed class ThreeScaleWorld : IAsyncDisposable
{
    /// <summary>The install's namespace.</summary>
    public const string Ns = "3scale";

    /// <summary>Every secret value of the scenarios' Secrets: none may appear in an output, report or argv.</summary>
    public static readonly string[] SecretValues =
    [
        "simulated-admin-password", "simulated-db-password", "simulated-root-password", "simulated-internal-api-password", "simulated-events-password",
        "simulated-secret-key-base", "simulated-zync-password", "simulated-zync-key-base", "simulated-zync-token", "simulated-apicast-token",
    ];

    private ThreeScaleWorld(string root, SimulatedCluster cluster, HostWorkspace workspace)
    {
        Root = root;
        Cluster = cluster;
        Workspace = workspace;
        Client = new k8s.Kubernetes(cluster.ClientConfiguration);
        Rollout = new WorkloadRollout(Client, KubeRunbooks.Tasks.OpenShift.OpenShiftApis.DeploymentConfigs);
    }

    /// <summary>The cluster's folder.</summary>
    public string Root { get; }

    /// <summary>The cluster.</summary>
    public SimulatedCluster Cluster { get; }

    /// <summary>The host's working folder (profile <c>test</c>, backups in <c>backups/</c>).</summary>
    public HostWorkspace Workspace { get; }

    /// <summary>A client for the test's own reads and setup.</summary>
    public k8s.Kubernetes Client { get; }

    /// <summary>Finds pods and workloads as the runbook does.</summary>
    public WorkloadRollout Rollout { get; }

    /// <summary>The backup folder of profile <c>test</c>.</summary>
    public string BackupFolder => Path.Combine(Workspace.Folder, "backups");

    /// <summary>Starts the cluster of <paramref name="scenario"/> and waits until every 3scale pod is ready.</summary>
    public static async Task<ThreeScaleWorld> StartAsync(string scenario, bool enforceRbac = false)
    {
        var root = Path.Combine(Path.GetTempPath(), "kr-3scale-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var cluster = await SimulatedClusterBuilder.StartAsync(scenario, Path.Combine(root, "cluster"),
            new ScenarioClusterSettings { ReadinessDelay = TimeSpan.FromMilliseconds(50), RestartBackOff = TimeSpan.FromMilliseconds(200), EnforceRbac = enforceRbac });
        var world = new ThreeScaleWorld(root, cluster, new HostWorkspace());
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
        Workspace.WriteKubeconfigProfile("test", Cluster.KubeconfigPath,
            $"backups: {backups}\ntimeouts: {{ default: 120s, podReady: 120s, rollout: 120s, job: 300s }}\n" +
            (schedule is null ? "" : $"schedule: \"{schedule}\"\n") + $"threescale: {threescale}\n");

    /// <summary>Runs the host with profile <c>test</c>.</summary>
    public HostRun Run(params string[] args) => Workspace.Run(args.Prepend("--cluster=test").ToArray());

    /// <summary>The audit log's entries so far.</summary>
    public IReadOnlyList<AuditLine> Audit() =>
        File.Exists(Cluster.AuditLogPath)
            ? File.ReadAllLines(Cluster.AuditLogPath).Where(l => l.Length > 0).Select(l => new AuditLine(JsonNode.Parse(l)!.AsObject())).ToList()
            : [];

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

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Cluster.DisposeAsync();
        Workspace.Dispose();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }
}

using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Simulator.Runtime.Images;
using KubeRunbooks.Simulator.Scenarios;
using KubeRunbooks.Simulator.Server;
using KubeRunbooks.Tests.Frosting;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Kamonohashi;

/// <summary>
/// The shared KAMONOHASHI scenario (<c>scenarios/kamonohashi.yaml</c>: the real PostgreSQL in the <c>postgres</c> pod on
/// its hostPath data folder, the application beside it) on one simulated cluster, and a host working folder whose
/// profile <c>db</c> reaches it, its backups in this world's folder. One per test fixture.
/// </summary>
public sealed class PostgresWorld : ClusterWorld
{
    /// <summary>The namespace.</summary>
    public const string Namespace = "kqi-system";

    /// <summary>The scenario's database password (Secret postgres-credential).</summary>
    public const string ScenarioPassword = "simulated-postgres-password";

    private PostgresWorld(TestCluster cluster) : base(cluster)
    {
    }

    /// <summary>Where the profile's backup sets go.</summary>
    public string BackupFolder => Path.Combine(Root, "backups");

    /// <summary>The local folder behind the node folder /var/lib/kamonohashi/postgresql (the data folder's parent).</summary>
    public string DatabaseHostFolder => TestCluster.HostPathFolder("/var/lib/kamonohashi/postgresql");

    /// <summary>Starts the scenario and waits until the database answers; ignores the fixture when PostgreSQL is not installed.</summary>
    public static async Task<PostgresWorld> StartAsync(bool enforceRbac = false)
    {
        if (ServerImages.Find("postgres:10") is { IsInstalled: false } server)
            Assert.Ignore($"{server.Name} is not installed (Debian package {server.Package}): ./test.sh installs it");
        var cluster = await TestCluster.OfScenario(Path.Combine(RepositoryPaths.Root, "scenarios", "kamonohashi.yaml"))
            .WithReadinessDelay(TimeSpan.FromMilliseconds(200)).WithRestartBackOff(TimeSpan.FromMilliseconds(500)).WithRbac(enforceRbac).StartAsync("kqidb");
        var world = new PostgresWorld(cluster);
        world.WriteProfile();
        await world.WaitUntilAnsweringAsync();
        return world;
    }

    /// <summary>(Re)writes profile <c>db</c>: backups in <see cref="BackupFolder"/>, the retention, further <c>backups</c> lines and schedule given.</summary>
    public void WriteProfile(int retention = 1, string? schedule = null, string kamonohashi = "{}", string name = "db", string backups = "")
    {
        var yaml = $"timeouts: {{ default: 60s, podReady: 60s, rollout: 60s }}\nbackups:\n  folder: {BackupFolder}\n  retention: {retention}\n{backups}" +
            (schedule is null ? "" : $"schedule: \"{schedule}\"\n") + $"kamonohashi: {kamonohashi}\n";
        WriteClusterProfile(name, yaml);
    }

    /// <summary>The backup set folders now, oldest name first.</summary>
    public IReadOnlyList<string> Sets() =>
        Directory.Exists(BackupFolder) ? Directory.GetDirectories(BackupFolder).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal).ToList() : [];

    /// <summary>A ready database pod's name.</summary>
    public async Task<string> DatabasePodAsync()
    {
        var pods = await Client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: "app=postgres");
        return pods.Items.Where(p => p.Metadata.DeletionTimestamp is null && p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)
            .Select(p => p.Metadata.Name).FirstOrDefault() ?? throw new InvalidOperationException("no ready postgres pod");
    }

    /// <summary>Runs SQL (on stdin, stopping at the first error) in the database pod as postgres; returns psql's -tA output.</summary>
    public async Task<string> PsqlAsync(string sql, string database = "postgres")
    {
        var (code, output, errors) = await ExecAsync(["psql", "-X", "-v", "ON_ERROR_STOP=1", "-tAq", "-U", "postgres", "-d", database, "-f", "-"], sql);
        if (code != 0) throw new InvalidOperationException($"psql exited {code}: {errors}");
        return output.Trim();
    }

    /// <summary>Runs a command in the database pod with <paramref name="stdin"/>; returns exit code, stdout and stderr.</summary>
    public async Task<(int Code, string Output, string Errors)> ExecAsync(IReadOnlyList<string> command, string? stdin = null, IReadOnlyDictionary<string, string>? secrets = null)
    {
        var pod = await DatabasePodAsync();
        using var output = new MemoryStream();
        using var errors = new MemoryStream();
        using var input = stdin is null ? null : new MemoryStream(Encoding.UTF8.GetBytes(stdin));
        var request = new ExecRequest(Namespace, pod, "postgres", command) { Secrets = secrets ?? new Dictionary<string, string>() };
        var result = await new PodExec(Client).RunAsync(request, output, errors, input);
        return (result.ExitCode, Encoding.UTF8.GetString(output.ToArray()), Encoding.UTF8.GetString(errors.ToArray()));
    }

    /// <summary>Waits (a minute at most) until the database pod answers a query: a restarted server may still recover.</summary>
    public Task WaitUntilAnsweringAsync()
    {
        Exception? last = null;
        return Eventually.UntilAsync(async () =>
        {
            try
            {
                return await PsqlAsync("SELECT 1") == "1";
            }
            catch (Exception e) when (e is InvalidOperationException or ExecFailedException or k8s.Autorest.HttpOperationException)
            {
                last = e;
                return false;
            }
        }, "the database answers a query", TimeSpan.FromMinutes(1), () => Task.FromResult(last?.Message ?? "no error"));
    }

    /// <summary>A deployment's replicas (spec) and ready replicas (status).</summary>
    public async Task<(int Replicas, int Ready)> ReplicasAsync(string name)
    {
        var d = await Client.AppsV1.ReadNamespacedDeploymentAsync(name, Namespace);
        return (d.Spec.Replicas ?? 1, d.Status?.ReadyReplicas ?? 0);
    }

    /// <summary>The database deployment's annotations.</summary>
    public async Task<IDictionary<string, string>> DatabaseAnnotationsAsync() =>
        (await Client.AppsV1.ReadNamespacedDeploymentAsync("postgres", Namespace)).Metadata.Annotations ?? new Dictionary<string, string>();

    /// <summary>The facts of the run report in <paramref name="run"/>'s report folder: the run's and every task's (the last value wins).</summary>
    public static IReadOnlyDictionary<string, string?> ReportFacts(HostRun run)
    {
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(run.ReportFolder!, "report.json")))!.AsObject();
        var facts = new Dictionary<string, string?>();
        var maps = new[] { report["facts"] }.Concat(report["tasks"]!.AsArray().Select(t => t!["facts"]));
        foreach (var map in maps.OfType<JsonObject>())
            foreach (var (key, value) in map) facts[key] = value?.ToString();
        return facts;
    }
}

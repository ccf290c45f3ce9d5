using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Simulator.Runtime.Images;
using KubeRunbooks.Simulator.Scenarios;
using KubeRunbooks.Simulator.Server;
using KubeRunbooks.Tests.Support;
using KubeRunbooks.Tests.Vantiq;

namespace KubeRunbooks.Tests.Exastro;

/// <summary>
/// A simulated cluster with the repository's Exastro scenario (<c>exastro</c>: one MariaDB shared by Platform and
/// ITA, or <c>exastro-separate</c>: ITA on its own server), real MariaDB servers in their pods, and a host
/// workspace with profile <c>test</c>. Helpers run SQL in the database pods and shell commands in the pod that owns
/// the ITA storage, with passwords on stdin only.
/// </summary>
public sealed class ExastroWorld : ClusterWorld
{
    /// <summary>The namespace.</summary>
    public const string Ns = "exastro";

    /// <summary>The Platform admin password of the scenarios.</summary>
    public const string PlatformPassword = "simulated-pf-password";

    /// <summary>The ITA admin password of the separate-servers scenario.</summary>
    public const string ItaPassword = "simulated-ita-password";

    /// <summary>The workloads the procedure stops, reverse proxy first.</summary>
    public static readonly string[] Stopped = ["platform-auth", "ita-by-ansible-execute", "ita-by-conductor-synchronize", "ita-by-menu-create"];

    private ExastroWorld(TestCluster cluster, bool separate) : base(cluster)
    {
        Separate = separate;
        Exec = new PodExec(Client);
    }

    /// <summary>True for separate database servers.</summary>
    public bool Separate { get; }

    /// <summary>Exec into pods.</summary>
    public PodExec Exec { get; }

    /// <summary>The backup folder of profile <c>test</c>.</summary>
    public string BackupFolder => Path.Combine(Workspace.Folder, "backups");

    /// <summary>Starts the cluster of <paramref name="scenario"/> and waits until the install is up.</summary>
    public static async Task<ExastroWorld> StartAsync(string scenario, bool enforceRbac = false)
    {
        if (ServerImages.Find("mariadb:10.11") is { IsInstalled: false } server)
            Assert.Ignore($"{server.Name} is not installed (Debian package {server.Package}): ./test.sh installs it");
        var world = new ExastroWorld(await TestCluster.OfScenario(scenario).WithRbac(enforceRbac).StartAsync("exa"), scenario.Contains("separate", StringComparison.Ordinal));
        world.WriteProfile();
        await world.WaitUntilUpAsync();
        return world;
    }

    /// <summary>(Re)writes profile <c>test</c> with <paramref name="exastro"/> as its exastro section's body.</summary>
    public void WriteProfile(string exastro = "{}", string timeouts = "timeouts: { default: 60s, podReady: 60s, rollout: 60s }")
        => WriteClusterProfile("test", timeouts + "\nexastro: " + exastro + "\n");

    /// <summary>Waits until every Deployment and StatefulSet has its replicas ready.</summary>
    public Task WaitUntilUpAsync()
    {
        IList<V1Deployment> deployments = [];
        return Eventually.UntilAsync(async () =>
        {
            deployments = (await Client.AppsV1.ListNamespacedDeploymentAsync(Ns)).Items;
            var sets = (await Client.AppsV1.ListNamespacedStatefulSetAsync(Ns)).Items;
            return deployments.All(d => (d.Status?.ReadyReplicas ?? 0) == (d.Spec.Replicas ?? 1)) && sets.All(s => (s.Status?.ReadyReplicas ?? 0) == (s.Spec.Replicas ?? 1));
        }, "the Exastro install is up", describe: () => Task.FromResult(string.Join(", ", deployments.Select(d => $"{d.Metadata.Name} {d.Status?.ReadyReplicas ?? 0}/{d.Spec.Replicas}"))));
    }

    /// <summary>spec.replicas of each stopped workload, by name.</summary>
    public async Task<IReadOnlyDictionary<string, int>> ReplicasAsync() =>
        (await Client.AppsV1.ListNamespacedDeploymentAsync(Ns)).Items.Where(d => Stopped.Contains(d.Metadata.Name))
            .ToDictionary(d => d.Metadata.Name, d => d.Spec.Replicas ?? 1);

    /// <summary>Sets a Deployment's replicas and waits until they are ready.</summary>
    public async Task ScaleAsync(string name, int replicas)
    {
        await Client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch($"{{\"spec\":{{\"replicas\":{replicas}}}}}", V1Patch.PatchType.MergePatch), name, Ns);
        await WaitUntilUpAsync();
    }

    /// <summary>The pods of the namespace now, by name.</summary>
    public async Task<IReadOnlyList<string>> PodNamesAsync() =>
        (await Client.CoreV1.ListNamespacedPodAsync(Ns)).Items.Select(p => p.Metadata.Name).ToList();

    /// <summary>Runs SQL (on stdin) with the <c>mysql</c> client in the database pod <paramref name="server"/> (<c>mariadb</c> or <c>mariadb-ita</c>), as root.</summary>
    public async Task<string> SqlAsync(string server, string sql, string? database = null)
    {
        var password = server == "mariadb-ita" ? ItaPassword : PlatformPassword;
        var command = new List<string> { "mysql", "-uroot", "--default-character-set=utf8mb4", "-N", "-B" };
        if (database is not null) command.Add(database);
        var request = new ExecRequest(Ns, server + "-0", "mariadb", command) { Secrets = new Dictionary<string, string> { ["MYSQL_PWD"] = password } };
        return await RunAsync(request, sql);
    }

    /// <summary>Runs a shell script in the ITA API pod (user 1000, the ITA storage at <c>/storage</c>).</summary>
    public async Task<string> StorageShellAsync(string script)
    {
        var pod = (await Client.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: "app=ita-api-admin")).Items.First(p => p.Metadata.DeletionTimestamp is null);
        return await RunAsync(new ExecRequest(Ns, pod.Metadata.Name, "ita-api-admin", ["sh", "-c", script]), null);
    }

    /// <summary>The newest backup set folder.</summary>
    public string NewestSet() =>
        Directory.GetDirectories(BackupFolder).Where(d => System.Text.RegularExpressions.Regex.IsMatch(Path.GetFileName(d), @"^exastro-\d{8}-\d{6}(-\d+)?$"))
            .OrderBy(Directory.GetCreationTimeUtc).ThenBy(d => d.Length).ThenBy(d => d, StringComparer.Ordinal).Last();

    private async Task<string> RunAsync(ExecRequest request, string? stdin)
    {
        using var stdout = new MemoryStream();
        using var input = stdin is null ? null : new MemoryStream(Encoding.UTF8.GetBytes(stdin));
        await Exec.RunCheckedAsync(request, stdout, input);
        return Encoding.UTF8.GetString(stdout.ToArray());
    }
}

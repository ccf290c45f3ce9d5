using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Faults;
using KubeRunbooks.Simulator.Scenarios;
using KubeRunbooks.Simulator.Server;
using KubeRunbooks.Tests.Vantiq;

namespace KubeRunbooks.Tests.Support;

/// <summary>
/// A simulated cluster started for tests (see <see cref="TestClusterBuilder"/>): the cluster in <c>ROOT/cluster</c>, a
/// client, the audit log, and a folder of the test's own (<see cref="Root"/>) deleted with it.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    internal TestCluster(string root, SimulatedCluster cluster)
    {
        Root = root;
        Cluster = cluster;
        Client = new k8s.Kubernetes(cluster.ClientConfiguration);
    }

    /// <summary>The test's folder (the cluster's is <see cref="ClusterFolder"/> inside it); deleted on dispose.</summary>
    public string Root { get; }

    /// <summary>The cluster's folder: kubeconfig, audit log, the runtime's pods, claims and hostPaths.</summary>
    public string ClusterFolder => Path.Combine(Root, "cluster");

    /// <summary>The cluster.</summary>
    public SimulatedCluster Cluster { get; }

    /// <summary>A client of the cluster, for the test's own reads and setup.</summary>
    public k8s.Kubernetes Client { get; }

    /// <summary>The cluster's fault plan (change it while the cluster runs).</summary>
    public FaultPlan Faults => Cluster.Faults;

    /// <summary>The local folder behind a node folder of a hostPath volume (e.g. <c>/var/lib/app</c>).</summary>
    public string HostPathFolder(string nodePath) =>
        Path.Combine(SimulatedClusterBuilder.RuntimeFolderOf(ClusterFolder), "hostpath", nodePath.TrimStart('/'));

    /// <summary>Starts building a cluster of a repository scenario (by name, e.g. <c>vantiq</c>) or a scenario file.</summary>
    public static TestClusterBuilder OfScenario(string nameOrPath) => new(() => Scenario.Load(nameOrPath));

    /// <summary>Starts building a cluster of a scenario given as YAML text (a test's own objects).</summary>
    public static TestClusterBuilder OfScenarioYaml(string yaml) => new(yaml);

    /// <summary>Starts building a cluster of a scenario already loaded (for example with objects added).</summary>
    public static TestClusterBuilder OfScenario(Scenario scenario) => new(() => scenario);

    /// <summary>The audit log's entries so far (every request the cluster answered).</summary>
    public IReadOnlyList<AuditLine> Audit() =>
        File.Exists(Cluster.AuditLogPath)
            ? File.ReadAllLines(Cluster.AuditLogPath).Where(l => l.Length > 0).Select(l => new AuditLine(JsonNode.Parse(l)!.AsObject())).ToList()
            : [];

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Cluster.DisposeAsync();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
        catch (UnauthorizedAccessException) { /* files a pod's user made; harmless in the temp folder */ }
    }
}

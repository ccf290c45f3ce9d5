using KubeRunbooks.Simulator.Server;
using KubeRunbooks.Tests.Vantiq;

namespace KubeRunbooks.Tests.Support;

/// <summary>
/// What every product world is: a <see cref="TestCluster"/> and a host working folder whose profiles reach it, so the
/// built host runs against the cluster as against a real one and the test reads the cluster's objects and audit log.
/// A world adds its scenario, profile and helpers.
/// </summary>
public abstract class ClusterWorld : IAsyncDisposable
{
    /// <summary>Over a started cluster; the world owns it (and a new host working folder) from here.</summary>
    protected ClusterWorld(TestCluster cluster)
    {
        TestCluster = cluster;
        Workspace = new HostWorkspace();
    }

    /// <summary>The world's folder (the test's scratch files; the cluster's folder is inside it).</summary>
    public string Root => TestCluster.Root;

    /// <summary>The cluster.</summary>
    public SimulatedCluster Cluster => TestCluster.Cluster;

    /// <summary>A client of the cluster, for the test's own reads and setup.</summary>
    public k8s.Kubernetes Client => TestCluster.Client;

    /// <summary>The host's working folder.</summary>
    public HostWorkspace Workspace { get; }

    /// <summary>The started cluster.</summary>
    protected TestCluster TestCluster { get; }

    /// <summary>Runs the host in the working folder.</summary>
    public virtual HostRun Run(params string[] args) => Workspace.Run(args);

    /// <summary>Runs the host with environment variables.</summary>
    public virtual HostRun Run(IReadOnlyDictionary<string, string> environment, params string[] args) => Workspace.Run(environment, args);

    /// <summary>The audit log's entries so far.</summary>
    public IReadOnlyList<AuditLine> Audit() => TestCluster.Audit();

    /// <summary>Writes profile <paramref name="name"/> reaching the cluster through its kubeconfig, with <paramref name="yaml"/> after the connection.</summary>
    protected void WriteClusterProfile(string name, string yaml) => Workspace.WriteKubeconfigProfile(name, Cluster.KubeconfigPath, yaml);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await TestCluster.DisposeAsync();
        Workspace.Dispose();
        GC.SuppressFinalize(this);
    }
}

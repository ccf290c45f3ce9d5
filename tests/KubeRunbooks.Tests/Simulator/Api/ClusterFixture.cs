using k8s;
using k8s.Models;
using KubeRunbooks.Simulator.Server;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Api;

/// <summary>
/// A simulated cluster shared by the tests of one fixture (started by <see cref="TestCluster"/> in
/// <c>[OneTimeSetUp]</c>), with a KubernetesClient and a kubectl bound to it. The API server alone unless a fixture
/// builds a scenario (<see cref="Controllers.ScenarioClusterFixture"/>).
/// </summary>
public abstract class ClusterFixture
{
    /// <summary>The started cluster: its folder, client, audit log and faults.</summary>
    protected TestCluster World { get; private set; } = null!;

    /// <summary>The cluster of this fixture.</summary>
    protected SimulatedCluster Cluster => World.Cluster;

    /// <summary>A client for the cluster.</summary>
    protected k8s.Kubernetes Client => World.Client;

    /// <summary>kubectl against the cluster (fresh cache per fixture).</summary>
    protected Kubectl Kubectl { get; private set; } = null!;

    /// <summary>The fixture's folder, for its scratch files (the cluster's is <see cref="TestCluster.ClusterFolder"/>).</summary>
    protected string Root => World.Root;

    /// <summary>Bookmark interval for this fixture's watches.</summary>
    protected virtual TimeSpan BookmarkInterval => TimeSpan.FromSeconds(10);

    /// <summary>The cluster this fixture starts: the API server alone unless overridden.</summary>
    protected virtual TestClusterBuilder Build() => TestCluster.ApiOnly().WithWatchBookmarks(BookmarkInterval);

    /// <summary>Starts the fixture's cluster.</summary>
    [OneTimeSetUp]
    public async Task StartClusterAsync()
    {
        World = await Build().StartAsync("sim");
        Kubectl = new Kubectl(Cluster.KubeconfigPath, Path.Combine(Root, "kubectl-cache"));
    }

    /// <summary>Stops the cluster and deletes its folder.</summary>
    [OneTimeTearDown]
    public async Task StopClusterAsync()
    {
        if (World != null) await World.DisposeAsync();
    }

    /// <summary>A raw HTTP client trusting the cluster's certificate, with or without the token.</summary>
    protected HttpClient NewHttpClient(bool withToken = true)
    {
        var http = World.CreateHttpClient();
        if (!withToken) http.DefaultRequestHeaders.Authorization = null;
        return http;
    }

    /// <summary>A fresh namespace for one test.</summary>
    protected async Task<string> NewNamespaceAsync()
    {
        var name = "t-" + Guid.NewGuid().ToString("N")[..8];
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }
}

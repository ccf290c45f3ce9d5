using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using k8s;
using KubeRunbooks.Simulator.Server;

namespace KubeRunbooks.Tests.Simulator.Api;

/// <summary>A simulated cluster shared by the tests of one fixture, with a KubernetesClient and a kubectl bound to it.</summary>
public abstract class ClusterFixture
{
    /// <summary>The cluster of this fixture.</summary>
    protected SimulatedCluster Cluster { get; private set; } = null!;

    /// <summary>A client for the cluster.</summary>
    protected k8s.Kubernetes Client { get; private set; } = null!;

    /// <summary>kubectl against the cluster (fresh cache per fixture).</summary>
    protected Kubectl Kubectl { get; private set; } = null!;

    /// <summary>The fixture's folder.</summary>
    protected string Root { get; private set; } = null!;

    /// <summary>Bookmark interval for this fixture's watches.</summary>
    protected virtual TimeSpan BookmarkInterval => TimeSpan.FromSeconds(10);

    [OneTimeSetUp]
    public async Task StartClusterAsync()
    {
        Root = Path.Combine(Path.GetTempPath(), "kr-sim-" + Guid.NewGuid().ToString("N")[..12]);
        Cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { RootFolder = Root, WatchBookmarkInterval = BookmarkInterval });
        Client = new k8s.Kubernetes(Cluster.ClientConfiguration);
        Kubectl = new Kubectl(Cluster.KubeconfigPath, Path.Combine(Root, "kubectl-cache"));
    }

    [OneTimeTearDown]
    public async Task StopClusterAsync()
    {
        Client?.Dispose();
        if (Cluster != null) await Cluster.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    /// <summary>A raw HTTP client trusting the cluster's certificate, with or without the token.</summary>
    protected HttpClient NewHttpClient(bool withToken = true)
    {
        var ca = X509Certificate2.CreateFromPem(Cluster.CertificateAuthorityPem).RawData;
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate != null && certificate.RawData.AsSpan().SequenceEqual(ca),
        };
        var http = new HttpClient(handler) { BaseAddress = new Uri(Cluster.Host) };
        if (withToken) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Cluster.Token);
        return http;
    }

    /// <summary>A fresh namespace for one test.</summary>
    protected async Task<string> NewNamespaceAsync()
    {
        var name = "t-" + Guid.NewGuid().ToString("N")[..8];
        await Client.CoreV1.CreateNamespaceAsync(new k8s.Models.V1Namespace { Metadata = new k8s.Models.V1ObjectMeta { Name = name } });
        return name;
    }
}

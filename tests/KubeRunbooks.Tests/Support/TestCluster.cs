using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeRunbooks.Simulator.Faults;
using KubeRunbooks.Simulator.Runtime;
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
    private readonly IPodRuntime? _runtime;

    internal TestCluster(string root, SimulatedCluster cluster, IPodRuntime? runtime = null)
    {
        Root = root;
        Cluster = cluster;
        _runtime = runtime;
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

    /// <summary>The local folder holding a PersistentVolumeClaim's files.</summary>
    public string ClaimFolder(string ns, string claim) => SimulatedClusterBuilder.ClaimFolderOf(ClusterFolder, ns, claim);

    /// <summary>Starts building an API server alone: no scenario, controllers or runtime (the API's own tests).</summary>
    public static TestClusterBuilder ApiOnly() => new();

    /// <summary>
    /// Starts building an API server in front of <paramref name="runtime"/> alone (no controllers): the server serves
    /// its pods' logs and exec, the test starts the pods with <see cref="RunPodAsync"/>; the cluster disposes it.
    /// </summary>
    public static TestClusterBuilder OfRuntime(IPodRuntime runtime) => new(runtime ?? throw new ArgumentNullException(nameof(runtime)));

    /// <summary>
    /// Creates <paramref name="pod"/> (in namespace <c>default</c> unless it names one) and starts it in the runtime of
    /// <see cref="OfRuntime"/>, reporting to <paramref name="sink"/>: what the pod controller does, without it.
    /// </summary>
    public async Task<V1Pod> RunPodAsync(V1Pod pod, IPodStatusSink sink)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var runtime = _runtime ?? throw new InvalidOperationException("RunPodAsync needs a cluster built with TestCluster.OfRuntime.");
        pod.Metadata.NamespaceProperty ??= "default";
        pod.Metadata.Uid ??= Guid.NewGuid().ToString();
        // The API object is for GETs (kubectl reads the pod before logs and exec); the runtime runs the test's own
        // object, so a test may run a pod of the same name again (a restart) with a new uid, as the kubelet sees one.
        var manifest = KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(pod));
        manifest.Metadata.Uid = null;
        manifest.Status = null;
        try { await Client.CoreV1.CreateNamespacedPodAsync(manifest, pod.Metadata.NamespaceProperty); }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict) { /* run again */ }
        runtime.StartPod(pod, sink);
        return pod;
    }

    /// <summary>An HttpClient that trusts the cluster's certificate and sends its token (raw API requests).</summary>
    public HttpClient CreateHttpClient()
    {
        var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(Cluster.CertificateAuthorityPem).RawData;
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate != null && certificate.RawData.AsSpan().SequenceEqual(ca),
        };
        var http = new HttpClient(handler) { BaseAddress = new Uri(Cluster.Host) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Cluster.Token);
        return http;
    }

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

using k8s;
using k8s.Models;
using KubeRunbooks.Simulator.Scenarios;
using KubeRunbooks.Simulator.Server;
using KubeRunbooks.Tests.Simulator.Api;

namespace KubeRunbooks.Tests.Simulator.Controllers;

/// <summary>
/// A fully wired simulated cluster (controllers, process runtime, a scenario seeded) shared by the
/// tests of one fixture, with zero readiness delay unless overridden, a KubernetesClient and a kubectl with its own cache.
/// </summary>
public abstract class ScenarioClusterFixture
{
    /// <summary>The scenario the fixture starts.</summary>
    protected virtual string ScenarioName => "vantiq";

    /// <summary>The pods' readiness delay in this fixture.</summary>
    protected virtual TimeSpan ReadinessDelay => TimeSpan.Zero;

    /// <summary>The cluster.</summary>
    protected SimulatedCluster Cluster { get; private set; } = null!;

    /// <summary>A client for the cluster.</summary>
    protected k8s.Kubernetes Client { get; private set; } = null!;

    /// <summary>kubectl bound to the cluster, with a fresh cache folder.</summary>
    protected Kubectl Kubectl { get; private set; } = null!;

    /// <summary>The fixture's folder.</summary>
    protected string Root { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartClusterAsync()
    {
        Root = Path.Combine(Path.GetTempPath(), "kr-ctl-" + Guid.NewGuid().ToString("N")[..12]);
        Cluster = await SimulatedClusterBuilder.StartAsync(ScenarioName, Root, new ScenarioClusterSettings { ReadinessDelay = ReadinessDelay, RestartBackOff = TimeSpan.FromMilliseconds(200) });
        Client = new k8s.Kubernetes(Cluster.ClientConfiguration);
        Kubectl = new Kubectl(Cluster.KubeconfigPath, Path.Combine(Root, "kubectl-cache"));
    }

    [OneTimeTearDown]
    public async Task StopClusterAsync()
    {
        Client?.Dispose();
        if (Cluster != null) await Cluster.DisposeAsync();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }

    /// <summary>A fresh namespace for one test.</summary>
    protected async Task<string> NewNamespaceAsync()
    {
        var name = "t-" + Guid.NewGuid().ToString("N")[..8];
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    /// <summary>Waits until <paramref name="condition"/> holds (checked on each store change and every 100 ms); fails with <paramref name="what"/> after 30 s.</summary>
    protected static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null)
    {
        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (timeout.IsCancellationRequested) Assert.Fail($"Timed out waiting until {what}.");
            await Task.Delay(100);
        }
    }

    /// <summary>Mounts a hostPath volume at <c>/shared</c> in every container of the pod spec: what runs of a test's pods share.</summary>
    protected static void SharedFolder(V1PodSpec spec)
    {
        spec.Volumes = [.. spec.Volumes ?? [], new V1Volume { Name = "shared", HostPath = new V1HostPathVolumeSource { Path = "/kr-tests-shared" } }];
        foreach (var container in spec.Containers)
            container.VolumeMounts = [.. container.VolumeMounts ?? [], new V1VolumeMount { Name = "shared", MountPath = "/shared" }];
    }

    /// <summary>The pods of a namespace with a label selector, by name.</summary>
    protected async Task<List<V1Pod>> PodsAsync(string ns, string selector) =>
        (await Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector)).Items.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();

    /// <summary>True when the pod's Ready condition is True.</summary>
    protected static bool IsReady(V1Pod pod) => pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>A StatefulSet of idle containers (see <see cref="Shapes.StatefulSet"/>).</summary>
    protected static V1StatefulSet StatefulSet(string name, int replicas, string image = "example/app:1.0", V1Container? init = null) =>
        Shapes.StatefulSet(name, replicas, image, init);

    /// <summary>A Job running a shell script (see <see cref="Shapes.Job"/>).</summary>
    protected static V1Job Job(string name, string script, int backoffLimit = 0) => Shapes.Job(name, script, backoffLimit);
}

using System.Net;
using k8s;
using k8s.Models;
using KubeRunbooks.Simulator.Runtime;
using KubeRunbooks.Simulator.Server;
using KubeRunbooks.Simulator.Store;
using Microsoft.AspNetCore.Http;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Api;

/// <summary>The cluster facade: controllers and the runtime are started, used and stopped with it.</summary>
[TestFixture]
public sealed class ClusterLifecycleTests
{
    private string _root = null!;

    [SetUp]
    public void CreateRoot() => _root = Path.Combine(Path.GetTempPath(), "kr-life-" + Guid.NewGuid().ToString("N")[..12]);

    [TearDown]
    public void DeleteRoot()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Test]
    public async Task Controllers_start_with_the_store_and_stop_on_dispose()
    {
        var controller = new RecordingController();
        var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { RootFolder = _root, Controllers = [controller] });
        using (var client = new k8s.Kubernetes(cluster.ClientConfiguration))
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "seen" } }, "default");
            var seen = await controller.Events!.Events.ReadAsync();
            Assert.That((string?)seen.Object["metadata"]!["name"], Is.EqualTo("seen"));
        }

        await cluster.DisposeAsync();

        Assert.Multiple(() =>
        {
            Assert.That(controller.Context!.Store, Is.SameAs(cluster.Store));
            Assert.That(controller.Stopping.IsCancellationRequested, Is.True);
            Assert.That(controller.Disposed, Is.True);
        });
    }

    [Test]
    public async Task Logs_are_served_by_the_runtime_and_without_one_answer_a_status()
    {
        var runtime = new EchoRuntime();
        await using (var withRuntime = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { RootFolder = Path.Combine(_root, "a"), Runtime = runtime }))
        using (var client = new k8s.Kubernetes(withRuntime.ClientConfiguration))
        {
            await client.CoreV1.CreateNamespacedPodAsync(TestObjects.Pod("p"), "default");
            using var stream = await client.CoreV1.ReadNamespacedPodLogAsync("p", "default", container: "main", tailLines: 5);
            Assert.That(await new StreamReader(stream).ReadToEndAsync(), Is.EqualTo("default/p main tail=5"));
        }
        Assert.That(runtime.Disposed, Is.True);

        await using var bare = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { RootFolder = Path.Combine(_root, "b") });
        using var bareClient = new k8s.Kubernetes(bare.ClientConfiguration);
        await bareClient.CoreV1.CreateNamespacedPodAsync(TestObjects.Pod("p"), "default");
        var e = Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => bareClient.CoreV1.ReadNamespacedPodLogAsync("p", "default"));
        Assert.That(e!.Response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
    }

    [Test]
    public async Task Kubeconfig_is_owner_only_and_names_the_server()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { RootFolder = _root, ContextName = "rehearsal" });

        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeconfigPath, "rehearsal");
        using var client = new k8s.Kubernetes(config);
        var namespaces = await client.CoreV1.ListNamespaceAsync();

        Assert.Multiple(() =>
        {
            if (!OperatingSystem.IsWindows())
            {
                Assert.That(File.GetUnixFileMode(cluster.KubeconfigPath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            }
            Assert.That(config.Host, Is.EqualTo(cluster.Host));
            Assert.That(namespaces.Items.Select(n => n.Metadata.Name), Is.SupersetOf(new[] { "default", "kube-system" }));
        });
    }

    private sealed class RecordingController : IController
    {
        public string Name => "recording";
        public ControllerContext? Context { get; private set; }
        public CancellationToken Stopping { get; private set; }
        public StoreSubscription? Events { get; private set; }
        public bool Disposed { get; private set; }

        public Task StartAsync(ControllerContext context, CancellationToken stopping)
        {
            Context = context;
            Stopping = stopping;
            Events = context.Store.Watch(ResourceCatalog.ConfigMaps, "default", context.Store.CurrentVersion);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            Events?.Dispose();
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class EchoRuntime : IPodRuntime
    {
        public bool Disposed { get; private set; }

        public void StartPod(V1Pod pod, IPodStatusSink sink) { }

        public Task StopPodAsync(string ns, string podName, TimeSpan gracePeriod) => Task.CompletedTask;

        public void ForgetPod(string ns, string podName) { }

        public async Task HandleLogsAsync(HttpContext http, string ns, string podName, LogRequest request)
        {
            http.Response.ContentType = "text/plain";
            await http.Response.WriteAsync($"{ns}/{podName} {request.Container} tail={request.TailLines}");
        }

        public Task HandleExecAsync(HttpContext http, string ns, string podName, ExecRequest request) => Task.CompletedTask;

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}

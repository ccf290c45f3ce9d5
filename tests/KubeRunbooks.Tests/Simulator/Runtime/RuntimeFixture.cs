using KubeRunbooks.Simulator.Runtime;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Runtime;

/// <summary>
/// The container runtime alone, shared by the tests of one fixture: a <see cref="ProcessPodRuntime"/> in a folder of
/// its own behind an API server (<see cref="TestCluster.OfRuntime"/>), no controllers; a test starts its pods with
/// <see cref="TestCluster.RunPodAsync"/> and reads what the runtime reports through a <see cref="RecordingSink"/>.
/// </summary>
public abstract class RuntimeFixture
{
    /// <summary>The runtime's folder (pods, claims, hostPaths).</summary>
    protected string RuntimeRoot { get; private set; } = "";

    /// <summary>The runtime.</summary>
    protected ProcessPodRuntime Runtime { get; private set; } = null!;

    /// <summary>The API server in front of the runtime.</summary>
    protected TestCluster Cluster { get; private set; } = null!;

    /// <summary>A client of the API server.</summary>
    protected k8s.Kubernetes Client => Cluster.Client;

    /// <summary>The runtime's options for a runtime in <paramref name="root"/> (the defaults unless overridden).</summary>
    protected virtual PodRuntimeOptions Options(string root) => new() { RootFolder = root };

    /// <summary>The ConfigMaps and Secrets the runtime resolves env from (none unless overridden).</summary>
    protected virtual IEnvSource Env() => new MemoryEnvSource();

    /// <summary>Starts the runtime and its API server.</summary>
    [OneTimeSetUp]
    public async Task StartRuntimeAsync()
    {
        RuntimeRoot = Path.Combine(Path.GetTempPath(), $"simruntime-{GetType().Name}-" + Guid.NewGuid().ToString("N")[..12]);
        Runtime = new ProcessPodRuntime(Options(RuntimeRoot), Env());
        Cluster = await TestCluster.OfRuntime(Runtime).StartAsync("runtime");
    }

    /// <summary>Stops the pods, the server and deletes the runtime's folder.</summary>
    [OneTimeTearDown]
    public async Task StopRuntimeAsync()
    {
        if (Cluster is not null) await Cluster.DisposeAsync();
        if (Runtime is not null) await Runtime.DisposeAsync(); // the cluster disposed it already; a second dispose is a no-op
        if (Directory.Exists(RuntimeRoot)) Directory.Delete(RuntimeRoot, recursive: true);
    }

    /// <summary>Starts <paramref name="pod"/> and waits until its first container has started (or ended, when <paramref name="started"/> is false).</summary>
    protected async Task<RecordingSink> RunAsync(k8s.Models.V1Pod pod, string? container = null, bool started = true)
    {
        var sink = new RecordingSink();
        await Cluster.RunPodAsync(pod, sink);
        await sink.WaitForAsync(started ? "Started" : "Terminated", pod.Metadata.Name, container ?? pod.Spec.Containers[0].Name);
        return sink;
    }
}

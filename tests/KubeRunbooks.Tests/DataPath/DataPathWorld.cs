using k8s.Models;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Simulator.Faults;
using KubeRunbooks.Simulator.Runtime;
using KubeRunbooks.Tests.Simulator.Runtime;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.DataPath;

/// <summary>
/// The data-path tests' world, shared by every fixture in this namespace: one simulated cluster (the runtime runs
/// exec'd commands as local processes, served over the real WebSocket protocol) and real database servers on loopback,
/// each started on first use. Pods whose name starts with <c>cut-</c> have their exec stdout cut after
/// <see cref="CutAfterBytes"/> bytes (the fault plan).
/// </summary>
[SetUpFixture]
public sealed class DataPathWorld
{
    /// <summary>Where the fault plan cuts exec streams of <c>cut-*</c> pods.</summary>
    public const long CutAfterBytes = 200_000;

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string _root = "";
    private static ProcessPodRuntime? _runtime;
    private static TestCluster? _cluster;
    private static Task<PostgresServer>? _postgres;
    private static Task<MariaDbServer>? _mariadb;
    private static readonly RecordingSink Sink = new();
    private static int _pods;

    // The hostPath the pods name for the world's scratch root (mapped to it in the runtime's options).
    private const string WorldHostPath = "/data-path-world";

    /// <summary>The client of the simulated cluster.</summary>
    public static k8s.Kubernetes Client => _cluster?.Client ?? throw new InvalidOperationException("The world is not started.");

    /// <summary>A scratch folder under the world's root.</summary>
    public static string NewFolder(string name)
    {
        var folder = Path.Combine(_root, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>The shared PostgreSQL, started on first use.</summary>
    public static Task<PostgresServer> PostgresAsync()
    {
        lock (Sink) return _postgres ??= PostgresServer.StartAsync();
    }

    /// <summary>The shared MariaDB, started on first use.</summary>
    public static Task<MariaDbServer> MariaDbAsync()
    {
        lock (Sink) return _mariadb ??= MariaDbServer.StartAsync();
    }

    /// <summary>
    /// Runs an idle pod with <paramref name="env"/> and waits until its container runs. The world's scratch root is
    /// mounted into the pod at its own path (a hostPath volume), so a folder from <see cref="NewFolder"/> is the same
    /// folder on both sides, as a node's hostPath is.
    /// </summary>
    public static async Task<PodContainer> RunPodAsync(string prefix, IReadOnlyDictionary<string, string>? env = null)
    {
        var name = $"{prefix}-{Interlocked.Increment(ref _pods)}";
        var pod = TestObjects.PodOf(name, new V1Container
        {
            Name = "main",
            Image = "example/idle:1.0",
            Env = (env ?? new Dictionary<string, string>()).Select(p => new V1EnvVar { Name = p.Key, Value = p.Value }).ToList(),
            VolumeMounts = [new V1VolumeMount { Name = "world", MountPath = _root }],
        });
        pod.Spec.Volumes = [new V1Volume { Name = "world", HostPath = new V1HostPathVolumeSource { Path = WorldHostPath } }];
        await _cluster!.RunPodAsync(pod, Sink);
        await Sink.WaitForAsync("Started", name, "main");
        return new PodContainer("default", name, "main");
    }

    /// <summary>Starts the simulated cluster (database servers start later, on first use).</summary>
    [OneTimeSetUp]
    public async Task StartAsync()
    {
        await Gate.WaitAsync();
        try
        {
            _root = Path.Combine(Path.GetTempPath(), "kr-datapath-" + Guid.NewGuid().ToString("N")[..12]);
            var faults = new FaultPlan();
            faults.ExecCuts.Add(new ExecCut("^cut-", CutAfterBytes));
            _runtime = new ProcessPodRuntime(new PodRuntimeOptions
            {
                RootFolder = Path.Combine(_root, "runtime"),
                Faults = faults,
                HostPaths = { [WorldHostPath] = _root },
            }, new MemoryEnvSource());
            _cluster = await TestCluster.OfRuntime(_runtime).StartAsync("datapath");
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Stops everything started.</summary>
    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
        if (_runtime is not null) await _runtime.DisposeAsync();
        if (_postgres is { IsCompletedSuccessfully: true }) await (await _postgres).DisposeAsync();
        if (_mariadb is { IsCompletedSuccessfully: true }) await (await _mariadb).DisposeAsync();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}

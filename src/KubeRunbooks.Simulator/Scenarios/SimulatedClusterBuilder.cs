using KubeRunbooks.Simulator.Controllers;
using KubeRunbooks.Simulator.Faults;
using KubeRunbooks.Simulator.Runtime;
using KubeRunbooks.Simulator.Server;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Scenarios;

/// <summary>
/// Starts a fully wired simulated cluster: a store seeded from a scenario, the fault plan, the
/// process-backed container runtime with the scenario's image mappings, and the pod,
/// StatefulSet, Deployment and Job controllers.
/// </summary>
public static class SimulatedClusterBuilder
{
    /// <summary>Starts a cluster for the scenario in <paramref name="rootFolder"/>.</summary>
    /// <param name="scenario">The scenario to seed.</param>
    /// <param name="rootFolder">Folder for the kubeconfig, audit log and the pods' files.</param>
    /// <param name="settings">Port, token, file paths and readiness delay override; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static Task<SimulatedCluster> StartAsync(
        Scenario scenario,
        string rootFolder,
        ScenarioClusterSettings? settings = null,
        CancellationToken cancellationToken = default)
    {
        var store = new ObjectStore();
        scenario.Seed(store);
        return StartAsync(scenario, store, rootFolder, settings, cancellationToken);
    }

    /// <summary>
    /// Starts a cluster on an existing store (for example the <c>local</c> cluster's state loaded from its state
    /// folder) instead of seeding a new one: the scenario still supplies the image stand-ins, the fault plan and the
    /// readiness delay. The pod controller starts every pod of the store that has not started (no startTime).
    /// </summary>
    /// <param name="scenario">The scenario whose image commands, faults and readiness delay apply.</param>
    /// <param name="store">The store the cluster serves (not seeded again).</param>
    /// <param name="rootFolder">Folder for the kubeconfig, audit log and the pods' files.</param>
    /// <param name="settings">Port, token, file paths and readiness delay override; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static Task<SimulatedCluster> StartAsync(
        Scenario scenario,
        ObjectStore store,
        string rootFolder,
        ScenarioClusterSettings? settings = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(store);
        settings ??= new ScenarioClusterSettings();
        var root = Path.GetFullPath(rootFolder);
        var faults = new FaultPlan();
        scenario.ApplyFaults(faults);
        var runtime = new ProcessPodRuntime(
            new PodRuntimeOptions
            {
                RootFolder = RuntimeFolderOf(root),
                ImageCommands = new Dictionary<string, IReadOnlyList<string>>(scenario.ImageCommands, StringComparer.Ordinal),
                Faults = faults,
            },
            new StoreEnvSource(store),
            new StoreServiceSource(store));
        var options = new SimulatedClusterOptions
        {
            RootFolder = root,
            Store = store,
            Faults = faults,
            Runtime = runtime,
            Controllers = Controllers(settings.ReadinessDelay ?? scenario.ReadinessDelay, settings.RestartBackOff),
            Port = settings.Port,
            Token = settings.Token,
            KubeconfigPath = settings.KubeconfigPath,
            AuditLogPath = settings.AuditLogPath,
            ContextName = settings.ContextName,
            EnforceRbac = settings.EnforceRbac,
        };
        return SimulatedCluster.StartAsync(options, cancellationToken);
    }

    /// <summary>Loads the scenario by name or path (see <see cref="Scenario.Load"/>), then starts it.</summary>
    public static Task<SimulatedCluster> StartAsync(string scenario, string rootFolder, ScenarioClusterSettings? settings = null, CancellationToken cancellationToken = default) =>
        StartAsync(Scenario.Load(scenario), rootFolder, settings, cancellationToken);

    /// <summary>The container runtime's folder under a cluster's root folder (pods, PVCs, hostPaths).</summary>
    public static string RuntimeFolderOf(string rootFolder) => Path.Combine(Path.GetFullPath(rootFolder), "runtime");

    /// <summary>The local folder holding a PersistentVolumeClaim's files (shared by every pod that mounts it).</summary>
    public static string ClaimFolderOf(string rootFolder, string ns, string claim) => Path.Combine(RuntimeFolderOf(rootFolder), "pvc", ns, claim);

    /// <summary>The controllers of a simulated cluster, in start order.</summary>
    /// <param name="readinessDelay">How long after all its containers run a pod becomes Ready.</param>
    /// <param name="restartBackOff">The first CrashLoopBackOff delay (10 s when null), doubling per restart.</param>
    public static IReadOnlyList<IController> Controllers(TimeSpan readinessDelay, TimeSpan? restartBackOff = null) =>
    [
        new SchedulerController(),
        new TaintEvictionController(),
        new PodController(readinessDelay, restartBackOff),
        new StatefulSetController(),
        new DeploymentController(),
        new ReplicaSetController(),
        new JobController(),
        new DeploymentConfigController(),
    ];
}

/// <summary>How a scenario's cluster is exposed: all optional.</summary>
public sealed record ScenarioClusterSettings
{
    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Bearer token; random when null.</summary>
    public string? Token { get; init; }

    /// <summary>Where the kubeconfig is written; ROOT/kubeconfig when null.</summary>
    public string? KubeconfigPath { get; init; }

    /// <summary>Where the audit log is written; ROOT/audit.jsonl when null.</summary>
    public string? AuditLogPath { get; init; }

    /// <summary>Context name in the kubeconfig.</summary>
    public string ContextName { get; init; } = "simulated";

    /// <summary>Overrides the scenario's readiness delay (tests use zero), or null.</summary>
    public TimeSpan? ReadinessDelay { get; init; }

    /// <summary>The first CrashLoopBackOff delay (10 s when null, as a kubelet), doubling per restart.</summary>
    public TimeSpan? RestartBackOff { get; init; }

    /// <summary>Enforce RBAC for service-account tokens (see <see cref="SimulatedClusterOptions.EnforceRbac"/>).</summary>
    public bool EnforceRbac { get; init; }
}

using k8s;
using KubeRunbooks.Errors;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Simulator.Ingress;
using KubeRunbooks.Simulator.Scenarios;
using KubeRunbooks.Simulator.Server;
using KubeRunbooks.Simulator.State;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Build;

/// <summary>
/// Starts the simulated cluster in-process, seeded with a scenario from <c>scenarios/</c>, or loaded from its state
/// folder when the request names one (the <c>local</c> cluster keeps its state between runs).
/// </summary>
public sealed class EmbeddedClusterFactory : ILocalClusterFactory
{
    /// <inheritdoc />
    public async Task<ILocalCluster> StartAsync(LocalClusterRequest request, CancellationToken cancellationToken)
    {
        var scenario = LoadScenario(request.Scenario);
        var settings = new ScenarioClusterSettings
        {
            Port = request.Port,
            KubeconfigPath = request.KubeconfigPath,
            AuditLogPath = request.AuditLogPath,
        };
        if (request.StateFolder is null)
        {
            var cluster = await SimulatedClusterBuilder.StartAsync(scenario, request.RootFolder, settings, cancellationToken);
            return new EmbeddedCluster(cluster, null, IngressTlsEndpoint.Start(cluster.Store));
        }

        var state = OpenState(request, cancellationToken);
        try
        {
            ObjectStore store;
            try
            {
                store = state.LoadOrSeed(scenario.Seed);
            }
            catch (StateFileCorruptException e)
            {
                throw new InvalidInputException(e.Message, e);
            }

            var cluster = await SimulatedClusterBuilder.StartAsync(scenario, store, state.RuntimeFolder, settings, cancellationToken);
            try
            {
                await WaitReadyAgainAsync(request, state, store, cancellationToken);
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
            return new EmbeddedCluster(cluster, state, IngressTlsEndpoint.Start(cluster.Store));
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public Task<LocalClusterReset> ResetAsync(LocalClusterRequest request, CancellationToken cancellationToken)
    {
        if (request.StateFolder is null)
        {
            throw new InvalidInputException("The simulated cluster keeps no state folder, so there is nothing to reset.");
        }

        var scenario = LoadScenario(request.Scenario);
        using var state = OpenState(request, cancellationToken);
        var snapshot = state.Reset(scenario.Seed).Snapshot();
        return Task.FromResult(new LocalClusterReset(state.Folder, scenario.Name, snapshot.Objects.Count, snapshot.ResourceVersion));
    }

    // What was ready when the previous run ended is ready before this run's first step, so that a runbook (and
    // the operator reading ClusterInfo) sees the cluster as it was left, not half-way through its restart.
    private static async Task WaitReadyAgainAsync(LocalClusterRequest request, LocalClusterState state, ObjectStore store, CancellationToken cancellationToken)
    {
        var pods = state.ReadyBeforeRestart;
        if (pods.Count == 0 || request.ReadyWait <= TimeSpan.Zero) return;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var notReady = await RestartReadiness.WaitAsync(store, pods, request.ReadyWait, cancellationToken);
        request.Progress?.Invoke(notReady.Count == 0
            ? $"Local cluster restarted: the {pods.Count} pods that were ready are ready again ({clock.Elapsed.TotalSeconds:0.0} s)."
            : $"Local cluster restarted: {notReady.Count} of the {pods.Count} pods that were ready are not ready again after {request.ReadyWait.TotalSeconds:0.#} s: {string.Join(", ", notReady)}.");
    }

    private static Scenario LoadScenario(string nameOrPath)
    {
        try
        {
            return Scenario.Load(nameOrPath);
        }
        catch (ScenarioException e)
        {
            throw new InvalidInputException(e.Message);
        }
    }

    // A first try without waiting, so that a run that has to wait says why it does not move.
    private static LocalClusterState OpenState(LocalClusterRequest request, CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                return LocalClusterState.Open(request.StateFolder!, TimeSpan.Zero, cancellationToken);
            }
            catch (LocalClusterInUseException) when (request.LockWait > TimeSpan.Zero)
            {
                request.Progress?.Invoke(
                    $"Another run holds the local cluster (state folder {request.StateFolder}); waiting up to {request.LockWait.TotalSeconds:0.#} s for it to finish.");
                return LocalClusterState.Open(request.StateFolder!, request.LockWait, cancellationToken);
            }
        }
        catch (LocalClusterInUseException e)
        {
            throw new ClusterLockHeldException(e.Message);
        }
    }

    // The state stays open (locked, persisting) for the cluster's whole life, and is released only once every
    // container process has stopped, so that no other run starts on the same PVC folders in the meantime.
    // The ingress serves shared/default-ssl-cert on an ephemeral loopback port for the cluster's life, as nginx ingress
    // does with --default-ssl-certificate, so that a certificate renewal on the local cluster can look at what it serves.
    private sealed class EmbeddedCluster(SimulatedCluster cluster, LocalClusterState? state, IngressTlsEndpoint ingress) : ILocalCluster
    {
        public string IngressEndpoint => ingress.Endpoint;

        public KubernetesClientConfiguration Configuration => cluster.ClientConfiguration;

        public string KubeconfigPath => cluster.KubeconfigPath;

        public string AuditLogPath => cluster.AuditLogPath;

        public async ValueTask DisposeAsync()
        {
            try
            {
                state?.StopPersisting();
                await ingress.DisposeAsync();
                await cluster.DisposeAsync();
            }
            finally
            {
                state?.Dispose();
            }
        }
    }
}

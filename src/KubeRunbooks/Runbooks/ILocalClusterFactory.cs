using k8s;
using KubeRunbooks.Clusters;

namespace KubeRunbooks.Runbooks;

/// <summary>
/// Starts the embedded simulated cluster for a profile whose connection is <c>simulator:</c>. The
/// library does not know the simulator; the host program registers the implementation.
/// </summary>
public interface ILocalClusterFactory
{
    /// <summary>Starts the simulated cluster and returns how to reach it; disposing it stops it.</summary>
    /// <param name="settings">The profile's simulator settings (scenario, state folder).</param>
    /// <param name="runFolder">The run's artifacts folder (the simulator writes its audit log there).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    Task<ILocalCluster> StartAsync(SimulatorSettings settings, string runFolder, CancellationToken cancellationToken);
}

/// <summary>A running embedded cluster.</summary>
public interface ILocalCluster : IAsyncDisposable
{
    /// <summary>The client configuration for the cluster (loopback URL and bearer token).</summary>
    KubernetesClientConfiguration Configuration { get; }

    /// <summary>The simulator's audit log (one JSON line per state-changing request), if it keeps one.</summary>
    string? AuditLogPath { get; }
}

using k8s;

namespace KubeRunbooks.Runbooks;

/// <summary>
/// Starts the embedded simulated cluster (the <c>local</c> profile, and the <c>Simulate</c> target).
/// The library does not know the simulator; the host program registers the implementation.
/// </summary>
public interface ILocalClusterFactory
{
    /// <summary>Starts the simulated cluster and returns how to reach it; disposing it stops it.</summary>
    /// <param name="request">Scenario, folders and files of the cluster to start.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="KubeRunbooks.Errors.InvalidInputException">The scenario does not exist or cannot be read.</exception>
    /// <exception cref="KubeRunbooks.Errors.ClusterLockHeldException">
    /// <see cref="LocalClusterRequest.StateFolder"/> is held by another run longer than <see cref="LocalClusterRequest.LockWait"/>.
    /// </exception>
    /// <remarks>
    /// With a <see cref="LocalClusterRequest.StateFolder"/>, the cluster the previous run left there is loaded (the scenario
    /// seeds it only the first time), every accepted change is written back, and the folder stays locked until the
    /// cluster is disposed. An unusable state file is an <see cref="KubeRunbooks.Errors.InvalidInputException"/> whose
    /// message names <c>ResetLocalCluster</c>; the file is left as it was.
    /// </remarks>
    Task<ILocalCluster> StartAsync(LocalClusterRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Puts the scenario's initial state back into <see cref="LocalClusterRequest.StateFolder"/> (and wipes its PVC and
    /// pod folders) without reading the previous state, so it also recovers from a corrupt state file. No cluster is
    /// started; resourceVersions keep increasing above the previous state's.
    /// </summary>
    /// <param name="request">Scenario and state folder (required) of the cluster to reset.</param>
    /// <param name="cancellationToken">Cancels the wait for the folder's lock.</param>
    /// <exception cref="KubeRunbooks.Errors.InvalidInputException">The request has no state folder, or the scenario does not exist.</exception>
    /// <exception cref="KubeRunbooks.Errors.ClusterLockHeldException">Another run holds the state folder.</exception>
    Task<LocalClusterReset> ResetAsync(LocalClusterRequest request, CancellationToken cancellationToken);
}

/// <summary>What <see cref="ILocalClusterFactory.ResetAsync"/> put back.</summary>
/// <param name="StateFolder">The state folder (absolute).</param>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="Objects">How many objects the cluster now holds.</param>
/// <param name="ResourceVersion">The cluster's resourceVersion counter after the reset.</param>
public sealed record LocalClusterReset(string StateFolder, string Scenario, int Objects, long ResourceVersion);

/// <summary>What embedded cluster to start.</summary>
/// <param name="Scenario">Scenario name (<c>scenarios/NAME.yaml</c>) or path seeding a new cluster.</param>
/// <param name="RootFolder">
/// Folder for the cluster's runtime files (pods' volumes, kubeconfig, audit log by default) when it has no
/// <see cref="StateFolder"/>; with one, the runtime files live in the state folder so that PVC data persists.
/// </param>
public sealed record LocalClusterRequest(string Scenario, string RootFolder)
{
    /// <summary>Folder that keeps the cluster's state between runs; null for a cluster that lives only in memory.</summary>
    public string? StateFolder { get; init; }

    /// <summary>Where to write the kubeconfig; <c>RootFolder/kubeconfig</c> when null.</summary>
    public string? KubeconfigPath { get; init; }

    /// <summary>Where to write the audit log; <c>RootFolder/audit.jsonl</c> when null.</summary>
    public string? AuditLogPath { get; init; }

    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>How long to wait for another run to release <see cref="StateFolder"/> (default 30 seconds).</summary>
    public TimeSpan LockWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long to wait, once a kept cluster is up again, for the pods that were ready when the previous run ended to be
    /// ready again (default 2 minutes; zero does not wait).
    /// </summary>
    public TimeSpan ReadyWait { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Receives progress lines meant for the operator (e.g. that the run waits for the state folder); may be null.</summary>
    public Action<string>? Progress { get; init; }
}

/// <summary>A running embedded cluster.</summary>
public interface ILocalCluster : IAsyncDisposable
{
    /// <summary>The client configuration for the cluster (loopback HTTPS URL, CA and bearer token).</summary>
    KubernetesClientConfiguration Configuration { get; }

    /// <summary>The kubeconfig file written for kubectl.</summary>
    string KubeconfigPath { get; }

    /// <summary>The audit log: one JSON line per state-changing request.</summary>
    string AuditLogPath { get; }

    /// <summary>
    /// The ingress's TLS endpoint (<c>127.0.0.1:PORT</c>, an ephemeral port) serving <c>shared/default-ssl-cert</c> as the
    /// nginx ingress does, or null when the cluster has none.
    /// </summary>
    string? IngressEndpoint => null;
}

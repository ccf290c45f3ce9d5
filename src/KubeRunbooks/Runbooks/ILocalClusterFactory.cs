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
    Task<ILocalCluster> StartAsync(LocalClusterRequest request, CancellationToken cancellationToken);
}

/// <summary>What embedded cluster to start.</summary>
/// <param name="Scenario">Scenario name (<c>scenarios/NAME.yaml</c>) or path seeding a new cluster.</param>
/// <param name="RootFolder">Folder for the cluster's runtime files (pods' volumes, kubeconfig, audit log by default).</param>
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
}

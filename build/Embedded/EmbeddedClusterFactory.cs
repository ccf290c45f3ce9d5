using KubeRunbooks.Clusters;
using KubeRunbooks.Errors;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Build;

/// <summary>Starts the embedded simulated cluster for the <c>local</c> profile.</summary>
public sealed class EmbeddedClusterFactory : ILocalClusterFactory
{
    /// <inheritdoc />
    public Task<ILocalCluster> StartAsync(SimulatorSettings settings, string runFolder, CancellationToken cancellationToken) =>
        throw new InvalidInputException("The embedded simulated cluster is not wired into this build yet: pass --cluster=NAME for a real cluster.");
}

using k8s;
using KubeRunbooks.Errors;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Simulator.Scenarios;
using KubeRunbooks.Simulator.Server;

namespace KubeRunbooks.Build;

/// <summary>Starts the simulated cluster in-process, seeded with a scenario from <c>scenarios/</c>.</summary>
public sealed class EmbeddedClusterFactory : ILocalClusterFactory
{
    /// <inheritdoc />
    public async Task<ILocalCluster> StartAsync(LocalClusterRequest request, CancellationToken cancellationToken)
    {
        Scenario scenario;
        try
        {
            scenario = Scenario.Load(request.Scenario);
        }
        catch (ScenarioException e)
        {
            throw new InvalidInputException(e.Message);
        }

        var settings = new ScenarioClusterSettings
        {
            Port = request.Port,
            KubeconfigPath = request.KubeconfigPath,
            AuditLogPath = request.AuditLogPath,
        };
        var cluster = await SimulatedClusterBuilder.StartAsync(scenario, request.RootFolder, settings, cancellationToken);
        return new EmbeddedCluster(cluster);
    }

    private sealed class EmbeddedCluster(SimulatedCluster cluster) : ILocalCluster
    {
        public KubernetesClientConfiguration Configuration => cluster.ClientConfiguration;

        public string KubeconfigPath => cluster.KubeconfigPath;

        public string AuditLogPath => cluster.AuditLogPath;

        public ValueTask DisposeAsync() => cluster.DisposeAsync();
    }
}

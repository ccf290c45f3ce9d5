using k8s;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Controllers;

/// <summary>The standard scenario (the local profile's cluster) starts with every product's workloads running.</summary>
public sealed class StandardScenarioTests : ScenarioClusterFixture
{
    protected override string ScenarioName => "standard";

    [Test]
    public async Task Every_workload_of_the_standard_install_becomes_ready()
    {
        await Eventually.UntilAsync(async () =>
        {
            var deployments = (await Client.AppsV1.ListDeploymentForAllNamespacesAsync()).Items;
            var statefulSets = (await Client.AppsV1.ListStatefulSetForAllNamespacesAsync()).Items;
            return deployments.Count > 0 && deployments.All(d => d.Status?.ReadyReplicas == d.Spec.Replicas) &&
                   statefulSets.All(s => s.Status?.ReadyReplicas == s.Spec.Replicas);
        }, "every Deployment and StatefulSet is ready", TimeSpan.FromMinutes(3)); // five real database servers start first

        var env = (await Kubectl.RunAsync("exec", "-n", "kqi-system", "deploy/postgres", "--", "sh", "-c", "echo $POSTGRES_USER")).EnsureSuccess().Stdout;
        Assert.That(env, Is.EqualTo("postgres\n"));
    }
}

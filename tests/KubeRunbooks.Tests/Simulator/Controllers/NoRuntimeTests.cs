using k8s;
using KubeRunbooks.Simulator.Scenarios;
using KubeRunbooks.Simulator.Server;

namespace KubeRunbooks.Tests.Simulator.Controllers;

/// <summary>The controllers on a cluster started without a container runtime: containers are simulated.</summary>
public sealed class NoRuntimeTests
{
    [Test]
    public async Task Statefulsets_become_ready_and_jobs_complete_without_processes()
    {
        var root = Path.Combine(Path.GetTempPath(), "kr-nrt-" + Guid.NewGuid().ToString("N")[..12]);
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions
        {
            RootFolder = root,
            Controllers = SimulatedClusterBuilder.Controllers(TimeSpan.Zero),
        });
        using var client = new k8s.Kubernetes(cluster.ClientConfiguration);
        await client.AppsV1.CreateNamespacedStatefulSetAsync(Shapes.StatefulSet("plain", 2), "default");
        await client.BatchV1.CreateNamespacedJobAsync(Shapes.Job("quick", "exit 0"), "default");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await client.AppsV1.ReadNamespacedStatefulSetAsync("plain", "default")).Status?.ReadyReplicas != 2 ||
               (await client.BatchV1.ReadNamespacedJobAsync("quick", "default")).Status?.Succeeded != 1)
        {
            Assert.That(timeout.IsCancellationRequested, Is.False, "timed out waiting for the statefulset and the job");
            await Task.Delay(100);
        }
        var pods = (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=plain")).Items;
        Assert.That(pods.Select(p => p.Metadata.Name).Order(), Is.EqualTo(new[] { "plain-0", "plain-1" }));
        Directory.Delete(root, recursive: true);
    }
}

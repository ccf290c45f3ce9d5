using k8s;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Controllers;

/// <summary>The controllers on a cluster started without a container runtime: containers are simulated.</summary>
public sealed class NoRuntimeTests
{
    [Test]
    public async Task Statefulsets_become_ready_and_jobs_complete_without_processes()
    {
        await using var cluster = await TestCluster.ApiOnly().WithControllers().WithReadinessDelay(TimeSpan.Zero).StartAsync("nrt");
        var client = cluster.Client;
        await client.AppsV1.CreateNamespacedStatefulSetAsync(TestObjects.StatefulSet("plain", 2), "default");
        await client.BatchV1.CreateNamespacedJobAsync(TestObjects.Job("quick", "exit 0"), "default");

        await Eventually.UntilAsync(async () => (await client.AppsV1.ReadNamespacedStatefulSetAsync("plain", "default")).Status?.ReadyReplicas == 2 &&
                                                (await client.BatchV1.ReadNamespacedJobAsync("quick", "default")).Status?.Succeeded == 1,
            "the statefulset has 2 ready pods and the job succeeded", TimeSpan.FromSeconds(30));
        var pods = (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=plain")).Items;
        Assert.That(pods.Select(p => p.Metadata.Name).Order(), Is.EqualTo(new[] { "plain-0", "plain-1" }));
    }
}

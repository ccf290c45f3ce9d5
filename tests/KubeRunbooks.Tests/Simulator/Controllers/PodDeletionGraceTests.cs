using k8s;
using k8s.Models;
using KubeRunbooks.Simulator.Scenarios;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Controllers;

/// <summary>
/// A pod deleted with <c>gracePeriodSeconds</c> (an Int32 in the stored object, not parsed text) is stopped by the
/// runtime: its processes end and its folder is removed. Before the fix the controller failed to read the number and
/// left the container running.
/// </summary>
[TestFixture]
public sealed class PodDeletionGraceTests
{
    [Test]
    public async Task A_pod_deleted_with_a_zero_grace_period_is_stopped_and_its_folder_removed()
    {
        await using var cluster = await TestCluster.OfScenarioYaml("objects:\n  - { apiVersion: v1, kind: Namespace, metadata: { name: grace } }\n")
            .WithReadinessDelay(TimeSpan.Zero).StartAsync("grace");
        var client = cluster.Client;
        var pod = await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "idle", NamespaceProperty = "grace" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox", Command = ["/bin/sh", "-c", "exec sleep infinity"] }] },
        }, "grace");
        var folder = Path.Combine(SimulatedClusterBuilder.RuntimeFolderOf(cluster.ClusterFolder), "pods", "grace", $"idle_{pod.Metadata.Uid}");
        await Eventually.UntilAsync(async () => (await client.CoreV1.ReadNamespacedPodAsync("idle", "grace")).Status?.ContainerStatuses?.Any(c => c.State?.Running is not null) == true, "the pod runs");
        Assert.That(Directory.Exists(folder), Is.True, folder);

        await client.CoreV1.DeleteNamespacedPodAsync("idle", "grace", gracePeriodSeconds: 0);

        await Eventually.UntilAsync(() => !Directory.Exists(folder), $"the runtime removes {folder}", TimeSpan.FromSeconds(20));
    }
}

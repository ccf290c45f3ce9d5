using k8s;
using k8s.Models;
using KubeRunbooks.Simulator.Scenarios;

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
        var root = Path.Combine(Path.GetTempPath(), "kr-grace-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var scenario = Path.Combine(root, "grace.yaml");
        await File.WriteAllTextAsync(scenario, "readinessDelaySeconds: 0\nobjects:\n  - { apiVersion: v1, kind: Namespace, metadata: { name: grace } }\n");
        await using var cluster = await SimulatedClusterBuilder.StartAsync(Scenario.Load(scenario), Path.Combine(root, "cluster"), new ScenarioClusterSettings());
        using var client = new k8s.Kubernetes(cluster.ClientConfiguration);
        var pod = await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "idle", NamespaceProperty = "grace" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox", Command = ["/bin/sh", "-c", "exec sleep infinity"] }] },
        }, "grace");
        var folder = Path.Combine(SimulatedClusterBuilder.RuntimeFolderOf(Path.Combine(root, "cluster")), "pods", "grace", $"idle_{pod.Metadata.Uid}");
        await UntilAsync(async () => (await client.CoreV1.ReadNamespacedPodAsync("idle", "grace")).Status?.ContainerStatuses?.Any(c => c.State?.Running is not null) == true, "the pod runs");
        Assert.That(Directory.Exists(folder), Is.True, folder);

        await client.CoreV1.DeleteNamespacedPodAsync("idle", "grace", gracePeriodSeconds: 0);

        await UntilAsync(() => Task.FromResult(!Directory.Exists(folder)), $"the runtime removes {folder}");
        try { Directory.Delete(root, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting until {what}");
            await Task.Delay(50);
        }
    }
}

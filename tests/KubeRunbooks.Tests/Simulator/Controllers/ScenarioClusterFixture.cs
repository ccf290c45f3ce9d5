using k8s;
using k8s.Models;
using KubeRunbooks.Tests.Simulator.Api;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Controllers;

/// <summary>
/// A fully wired simulated cluster (controllers, process runtime, a scenario seeded) shared by the tests of one fixture,
/// started by <see cref="TestCluster"/>, with zero readiness delay unless overridden, a KubernetesClient and a kubectl
/// with its own cache.
/// </summary>
public abstract class ScenarioClusterFixture : ClusterFixture
{
    /// <summary>The scenario the fixture starts (a repository scenario's name or a file).</summary>
    protected virtual string ScenarioName => "vantiq";

    /// <summary>The pods' readiness delay in this fixture.</summary>
    protected virtual TimeSpan ReadinessDelay => TimeSpan.Zero;

    /// <inheritdoc />
    protected override TestClusterBuilder Build() => TestCluster.OfScenario(ScenarioName).WithReadinessDelay(ReadinessDelay);

    /// <summary>Mounts a hostPath volume at <c>/shared</c> in every container of the pod spec: what runs of a test's pods share.</summary>
    protected static void SharedFolder(V1PodSpec spec)
    {
        spec.Volumes = [.. spec.Volumes ?? [], new V1Volume { Name = "shared", HostPath = new V1HostPathVolumeSource { Path = "/kr-tests-shared" } }];
        foreach (var container in spec.Containers)
            container.VolumeMounts = [.. container.VolumeMounts ?? [], new V1VolumeMount { Name = "shared", MountPath = "/shared" }];
    }

    /// <summary>The pods of a namespace with a label selector, by name.</summary>
    protected async Task<List<V1Pod>> PodsAsync(string ns, string selector) =>
        (await Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector)).Items.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();

    /// <summary>True when the pod's Ready condition is True.</summary>
    protected static bool IsReady(V1Pod pod) => pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>A StatefulSet of idle containers (see <see cref="TestObjects.StatefulSet"/>).</summary>
    protected static V1StatefulSet StatefulSet(string name, int replicas, string image = "example/app:1.0", V1Container? init = null) =>
        TestObjects.StatefulSet(name, replicas, image, init);

    /// <summary>A Job running a shell script (see <see cref="TestObjects.Job"/>).</summary>
    protected static V1Job Job(string name, string script, int backoffLimit = 0) => TestObjects.Job(name, script, backoffLimit);
}

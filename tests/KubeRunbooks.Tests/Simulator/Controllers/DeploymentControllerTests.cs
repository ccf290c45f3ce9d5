using k8s;
using k8s.Models;

namespace KubeRunbooks.Tests.Simulator.Controllers;

/// <summary>The Deployment controller through KubernetesClient and kubectl.</summary>
public sealed class DeploymentControllerTests : ScenarioClusterFixture
{
    [Test]
    public async Task Pods_are_created_with_the_template_hash_and_replaced_on_a_template_change()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("api", 2, "example/api:1"), ns);
        await WaitUntilAsync(async () => (await Client.AppsV1.ReadNamespacedDeploymentAsync("api", ns)).Status?.ReadyReplicas == 2, "api is ready");
        var first = await PodsAsync(ns, "app=api");
        Assert.That(first, Has.Count.EqualTo(2));
        var hash = first[0].Metadata.Labels["pod-template-hash"];
        Assert.That(first.Select(p => p.Metadata.Name), Is.All.Match($"^api-{hash}-[a-z0-9]{{5}}$"));

        var patch = "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"example/api:2\"}]}}}}";
        await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), "api", ns);
        var status = (await Kubectl.RunAsync("rollout", "status", "deployment/api", "-n", ns, "--timeout=60s")).EnsureSuccess().Stdout;

        Assert.That(status, Does.Contain("successfully rolled out"));
        var second = await PodsAsync(ns, "app=api");
        Assert.That(second, Has.Count.EqualTo(2));
        Assert.That(second.Select(p => p.Spec.Containers[0].Image), Is.All.EqualTo("example/api:2"));
        Assert.That(second.Select(p => p.Metadata.Labels["pod-template-hash"]), Is.All.Not.EqualTo(hash));
    }

    [Test]
    public async Task Scaling_a_deployment_to_zero_deletes_its_pods()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("worker", 2, "example/worker:1"), ns);
        await WaitUntilAsync(async () => (await PodsAsync(ns, "app=worker")).Count(IsReady) == 2, "2 workers are ready");

        (await Kubectl.RunAsync("scale", "deployment/worker", "-n", ns, "--replicas=0")).EnsureSuccess();

        await WaitUntilAsync(async () => (await PodsAsync(ns, "app=worker")).Count == 0, "the workers are gone");
        var deployment = await Client.AppsV1.ReadNamespacedDeploymentAsync("worker", ns);
        Assert.That(deployment.Status.Replicas ?? 0, Is.Zero);
    }

    private static V1Deployment Deployment(string name, int replicas, string image) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = image }] },
            },
        },
    };
}

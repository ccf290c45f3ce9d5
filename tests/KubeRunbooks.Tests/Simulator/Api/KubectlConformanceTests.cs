using k8s;
using System.Text.Json.Nodes;
using k8s.Models;

namespace KubeRunbooks.Tests.Simulator.Api;

[TestFixture]
public sealed class KubectlConformanceTests : ClusterFixture
{
    [Test]
    public async Task GetJsonReturnsTheObject()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "settings" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, ns);

        var result = (await Kubectl.RunAsync("get", "configmap", "settings", "-n", ns, "-o", "json")).EnsureSuccess();

        var obj = JsonNode.Parse(result.Stdout)!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)obj["kind"], Is.EqualTo("ConfigMap"));
            Assert.That((string?)obj["data"]!["a"], Is.EqualTo("1"));
        });
    }
}

using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Api;

/// <summary>The audit log: one line per state-changing request, readable at once, secrets redacted.</summary>
[TestFixture]
public sealed class AuditLogTests : ClusterFixture
{
    [Test]
    public async Task Create_patch_and_delete_each_write_one_line()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "c" } }, ns);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"k\":\"v\"}}", V1Patch.PatchType.MergePatch), "c", ns);
        await Client.CoreV1.ReadNamespacedConfigMapAsync("c", ns);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("c", ns);

        var lines = LinesFor(ns);

        Assert.Multiple(() =>
        {
            Assert.That(lines.Select(l => (string?)l["verb"]), Is.EqualTo(new[] { "create", "patch", "delete" }));
            Assert.That(lines.Select(l => (int?)l["responseStatus"]!["code"]), Is.EqualTo(new[] { 201, 200, 200 }));
            Assert.That(lines.Select(l => (string?)l["objectRef"]!["name"]), Is.All.EqualTo("c"));
            Assert.That(lines.Select(l => (string?)l["objectRef"]!["resource"]), Is.All.EqualTo("configmaps"));
            Assert.That((string?)lines[1]["requestObject"]!["data"]!["k"], Is.EqualTo("v"));
        });
    }

    [Test]
    public async Task Failed_requests_and_subresources_are_recorded_with_their_code()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(TestObjects.ServerStatefulSet("vantiq", 3), ns);
        await Client.AppsV1.PatchNamespacedStatefulSetScaleAsync(new V1Patch("{\"spec\":{\"replicas\":0}}", V1Patch.PatchType.MergePatch), "vantiq", ns);
        Assert.ThrowsAsync<HttpOperationException>(() => Client.AppsV1.CreateNamespacedStatefulSetAsync(TestObjects.ServerStatefulSet("vantiq", 3), ns));

        var lines = LinesFor(ns);

        Assert.Multiple(() =>
        {
            Assert.That((string?)lines[1]["objectRef"]!["subresource"], Is.EqualTo("scale"));
            Assert.That((int?)lines[1]["requestObject"]!["spec"]!["replicas"], Is.Zero);
            Assert.That((int?)lines[2]["responseStatus"]!["code"], Is.EqualTo(409));
        });
    }

    [Test]
    public async Task Generated_names_are_recorded()
    {
        var ns = await NewNamespaceAsync();
        var pod = await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod { Metadata = new() { GenerateName = "gen-" }, Spec = new() { Containers = [new() { Name = "c", Image = "x" }] } }, ns);

        Assert.That((string?)LinesFor(ns).Single()["objectRef"]!["name"], Is.EqualTo(pod.Metadata.Name));
    }

    [Test]
    public async Task Secret_values_never_reach_the_log()
    {
        var ns = await NewNamespaceAsync();
        const string value = "s3cr3t-license-value";
        await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "lic" }, StringData = new Dictionary<string, string> { ["key"] = value } }, ns);
        await Client.CoreV1.PatchNamespacedSecretAsync(new V1Patch($"{{\"stringData\":{{\"key\":\"{value}-2\"}}}}", V1Patch.PatchType.MergePatch), "lic", ns);
        await Client.CoreV1.PatchNamespacedSecretAsync(new V1Patch($"[{{\"op\":\"add\",\"path\":\"/data/other\",\"value\":\"{Convert.ToBase64String("x"u8.ToArray())}\"}}]", V1Patch.PatchType.JsonPatch), "lic", ns);

        var text = await File.ReadAllTextAsync(Cluster.AuditLogPath);

        Assert.Multiple(() =>
        {
            Assert.That(LinesFor(ns), Has.Count.EqualTo(3));
            Assert.That(text, Does.Not.Contain(value));
            Assert.That(text, Does.Not.Contain(Convert.ToBase64String("x"u8.ToArray())));
        });
    }

    private List<JsonNode> LinesFor(string ns)
    {
        using var stream = new FileStream(Cluster.AuditLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var lines = new List<JsonNode>();
        while (reader.ReadLine() is { } line)
        {
            var node = JsonNode.Parse(line)!;
            if ((string?)node["objectRef"]?["namespace"] == ns) lines.Add(node);
        }
        return lines;
    }
}

using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Api;

/// <summary>Watches through KubernetesClient and raw HTTP: from a version, 410, bookmarks, timeouts, selectors.</summary>
[TestFixture]
public sealed class WatchTests : ClusterFixture
{
    protected override TimeSpan BookmarkInterval => TimeSpan.FromMilliseconds(200);

    [Test]
    public async Task Watch_from_a_list_version_sees_only_later_changes_with_kinds()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedPodAsync(TestObjects.Pod("before"), ns);
        var list = await Client.CoreV1.ListNamespacedPodAsync(ns);
        await Client.CoreV1.CreateNamespacedPodAsync(TestObjects.Pod("p1"), ns);
        await Client.CoreV1.PatchNamespacedPodAsync(new V1Patch("{\"metadata\":{\"labels\":{\"x\":\"y\"}}}", V1Patch.PatchType.MergePatch), "p1", ns);
        await Client.CoreV1.DeleteNamespacedPodAsync("p1", ns);

        var events = new List<(WatchEventType Type, string Name, string Kind)>();
        await foreach (var (type, pod) in Client.CoreV1.WatchListNamespacedPodAsync(ns, resourceVersion: list.Metadata.ResourceVersion, timeoutSeconds: 10))
        {
            events.Add((type, pod.Metadata.Name, pod.Kind));
            if (events.Count == 3) break;
        }

        Assert.That(events, Is.EqualTo(new[]
        {
            (WatchEventType.Added, "p1", "Pod"),
            (WatchEventType.Modified, "p1", "Pod"),
            (WatchEventType.Deleted, "p1", "Pod"),
        }));
    }

    [Test]
    public async Task Watch_without_version_starts_with_the_current_objects_and_honours_labels()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedPodAsync(TestObjects.Pod("a", new() { ["role"] = "db" }), ns);
        await Client.CoreV1.CreateNamespacedPodAsync(TestObjects.Pod("b", new() { ["role"] = "web" }), ns);

        var names = new List<string>();
        await foreach (var (type, pod) in Client.CoreV1.WatchListNamespacedPodAsync(ns, labelSelector: "role=web", timeoutSeconds: 10))
        {
            names.Add($"{type}:{pod.Metadata.Name}");
            break;
        }

        Assert.That(names, Is.EqualTo(new[] { "Added:b" }));
    }

    [Test]
    public async Task Watch_from_a_compacted_version_gets_an_expired_status_event()
    {
        var ns = await NewNamespaceAsync();
        var list = await Client.CoreV1.ListNamespacedPodAsync(ns);
        await Client.CoreV1.CreateNamespacedPodAsync(TestObjects.Pod("p"), ns);
        Cluster.Store.Compact();

        var lines = await ReadWatchLinesAsync($"/api/v1/namespaces/{ns}/pods?watch=true&resourceVersion={list.Metadata.ResourceVersion}&timeoutSeconds=10");

        var error = lines.Single();
        Assert.Multiple(() =>
        {
            Assert.That((string?)error["type"], Is.EqualTo("ERROR"));
            Assert.That((int?)error["object"]!["code"], Is.EqualTo(410));
            Assert.That((string?)error["object"]!["reason"], Is.EqualTo("Expired"));
        });
    }

    [Test]
    public async Task Kubernetes_client_reports_the_expired_event_to_on_error()
    {
        var ns = await NewNamespaceAsync();
        var list = await Client.CoreV1.ListNamespacedPodAsync(ns);
        await Client.CoreV1.CreateNamespacedPodAsync(TestObjects.Pod("p"), ns);
        Cluster.Store.Compact();

        var errors = new List<Exception>();
        var count = 0;
        await foreach (var _ in Client.CoreV1.WatchListNamespacedPodAsync(ns, resourceVersion: list.Metadata.ResourceVersion, timeoutSeconds: 10, onError: errors.Add))
        {
            count++;
        }

        Assert.Multiple(() =>
        {
            Assert.That(count, Is.Zero);
            Assert.That(errors.OfType<KubernetesException>().Single().Status.Code, Is.EqualTo(410));
        });
    }

    [Test]
    public async Task Idle_watch_with_bookmarks_gets_bookmark_events()
    {
        var ns = await NewNamespaceAsync();
        var list = await Client.CoreV1.ListNamespacedPodAsync(ns);

        var lines = await ReadWatchLinesAsync($"/api/v1/namespaces/{ns}/pods?watch=true&allowWatchBookmarks=true&resourceVersion={list.Metadata.ResourceVersion}&timeoutSeconds=10", stopAfter: 1);

        var bookmark = lines.Single();
        Assert.Multiple(() =>
        {
            Assert.That((string?)bookmark["type"], Is.EqualTo("BOOKMARK"));
            Assert.That((string?)bookmark["object"]!["kind"], Is.EqualTo("Pod"));
            Assert.That((string?)bookmark["object"]!["metadata"]!["resourceVersion"], Is.EqualTo(list.Metadata.ResourceVersion));
        });
    }

    [Test]
    public async Task Watch_ends_after_timeout_seconds()
    {
        var ns = await NewNamespaceAsync();

        var lines = await ReadWatchLinesAsync($"/api/v1/namespaces/{ns}/pods?watch=true&timeoutSeconds=1");

        Assert.That(lines, Is.Empty);
    }

    [Test]
    public async Task Watch_of_one_object_by_field_selector_ignores_others()
    {
        var ns = await NewNamespaceAsync();
        var sts = await Client.AppsV1.CreateNamespacedStatefulSetAsync(TestObjects.ServerStatefulSet("vantiq", 3), ns);
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(TestObjects.ServerStatefulSet("other", 1), ns);
        await Client.AppsV1.PatchNamespacedStatefulSetScaleAsync(new V1Patch("{\"spec\":{\"replicas\":4}}", V1Patch.PatchType.MergePatch), "other", ns);
        await Client.AppsV1.PatchNamespacedStatefulSetScaleAsync(new V1Patch("{\"spec\":{\"replicas\":0}}", V1Patch.PatchType.MergePatch), "vantiq", ns);

        var lines = await ReadWatchLinesAsync(
            $"/apis/apps/v1/namespaces/{ns}/statefulsets?watch=true&fieldSelector=metadata.name%3Dvantiq&resourceVersion={sts.Metadata.ResourceVersion}&timeoutSeconds=10", stopAfter: 1);

        var e = lines.Single();
        Assert.Multiple(() =>
        {
            Assert.That((string?)e["type"], Is.EqualTo("MODIFIED"));
            Assert.That((string?)e["object"]!["metadata"]!["name"], Is.EqualTo("vantiq"));
            Assert.That((string?)e["object"]!["apiVersion"], Is.EqualTo("apps/v1"));
            Assert.That((int?)e["object"]!["spec"]!["replicas"], Is.Zero);
        });
    }

    private async Task<List<JsonNode>> ReadWatchLinesAsync(string url, int? stopAfter = null)
    {
        using var http = NewHttpClient();
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var lines = new List<JsonNode>();
        while (await reader.ReadLineAsync() is { } line)
        {
            lines.Add(JsonNode.Parse(line)!);
            if (lines.Count == stopAfter) break;
        }
        return lines;
    }
}

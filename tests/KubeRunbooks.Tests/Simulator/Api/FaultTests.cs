using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeRunbooks.Simulator.Faults;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Api;

/// <summary>The fault plan's HTTP and watch faults, as clients see them.</summary>
[TestFixture]
public sealed class FaultTests : ClusterFixture
{
    [TearDown]
    public void ClearFaults()
    {
        Cluster.Faults.DropWatchesAfterEvents = null;
        Cluster.Faults.RefuseConnectionsUntil = null;
        Cluster.Faults.TakeGoneOnNextWatch();
    }

    [Test]
    public async Task Counted_server_errors_fire_then_stop()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "c" } }, ns);
        Cluster.Faults.AddHttpFault(new HttpFault { Method = "GET", PathPattern = $"/namespaces/{ns}/configmaps/c$", Status = 500, Remaining = 2 });

        var first = Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ReadNamespacedConfigMapAsync("c", ns));
        var second = Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ReadNamespacedConfigMapAsync("c", ns));
        var third = await Client.CoreV1.ReadNamespacedConfigMapAsync("c", ns);

        Assert.Multiple(() =>
        {
            Assert.That(first!.Response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(second!.Response.Content, Does.Contain("\"reason\":\"InternalError\""));
            Assert.That(third.Metadata.Name, Is.EqualTo("c"));
        });
    }

    [Test]
    public async Task Too_many_requests_carries_retry_after()
    {
        var ns = await NewNamespaceAsync();
        Cluster.Faults.AddHttpFault(new HttpFault { Method = "PATCH", PathPattern = $"/namespaces/{ns}/statefulsets/vantiq/scale$", Status = 429, RetryAfterSeconds = 3 });
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(TestObjects.ServerStatefulSet("vantiq", 3), ns);
        using var http = NewHttpClient();

        var refused = await http.PatchAsync($"/apis/apps/v1/namespaces/{ns}/statefulsets/vantiq/scale", MergePatch("{\"spec\":{\"replicas\":0}}"));
        var accepted = await http.PatchAsync($"/apis/apps/v1/namespaces/{ns}/statefulsets/vantiq/scale", MergePatch("{\"spec\":{\"replicas\":0}}"));

        Assert.Multiple(() =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(refused.Headers.RetryAfter!.Delta, Is.EqualTo(TimeSpan.FromSeconds(3)));
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Fault_on_one_method_leaves_others_alone()
    {
        var ns = await NewNamespaceAsync();
        Cluster.Faults.AddHttpFault(new HttpFault { Method = "DELETE", PathPattern = $"/namespaces/{ns}/configmaps", Status = 500 });

        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "c" } }, ns);
        var e = Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.DeleteNamespacedConfigMapAsync("c", ns));

        Assert.Multiple(() =>
        {
            Assert.That(created.Metadata.Name, Is.EqualTo("c"));
            Assert.That(e!.Response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        });
    }

    [Test]
    public async Task Watches_are_dropped_after_the_given_number_of_events()
    {
        var ns = await NewNamespaceAsync();
        for (var i = 0; i < 4; i++) await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = $"c{i}" } }, ns);
        Cluster.Faults.DropWatchesAfterEvents = 2;

        var count = 0;
        await foreach (var _ in Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, timeoutSeconds: 30)) count++;

        Assert.That(count, Is.EqualTo(2));
    }

    [Test]
    public async Task Gone_on_next_watch_answers_one_watch_with_410()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "c" } }, ns);
        Cluster.Faults.GoneOnNextWatch();

        var errors = new List<Exception>();
        var firstCount = 0;
        await foreach (var _ in Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, timeoutSeconds: 10, onError: errors.Add)) firstCount++;
        var second = new List<string>();
        await foreach (var (_, map) in Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, timeoutSeconds: 10))
        {
            second.Add(map.Metadata.Name);
            break;
        }

        Assert.Multiple(() =>
        {
            Assert.That(firstCount, Is.Zero);
            Assert.That(errors.OfType<KubernetesException>().Single().Status.Code, Is.EqualTo(410));
            Assert.That(second, Is.EqualTo(new[] { "c" }));
        });
    }

    [Test]
    public async Task Refused_connections_fail_until_the_time_passes()
    {
        Cluster.Faults.RefuseConnectionsUntil = DateTimeOffset.UtcNow.AddHours(1);
        using (var refused = NewHttpClient())
        {
            Assert.ThrowsAsync<HttpRequestException>(() => refused.GetAsync("/api/v1/namespaces"));
        }

        Cluster.Faults.RefuseConnectionsUntil = DateTimeOffset.UtcNow.AddSeconds(-1);
        using var accepted = NewHttpClient();
        var response = await accepted.GetAsync("/api/v1/namespaces");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static StringContent MergePatch(string json)
    {
        var content = new StringContent(json);
        content.Headers.ContentType = new("application/merge-patch+json");
        return content;
    }
}

using k8s;
using KubeRunbooks.Kubernetes.Containers;
using KubeRunbooks.Kubernetes.Http;
using KubeRunbooks.Tests.Kubernetes.Support;

namespace KubeRunbooks.Tests.Kubernetes.Containers;

/// <summary>Following an init container to its exit against a canned responder.</summary>
[TestFixture]
public class ContainerExitFollowerHttpTests
{
    private static string PodList(string state) =>
        "{\"apiVersion\":\"v1\",\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"40\"},\"items\":[{\"metadata\":{\"name\":\"vantiq-0\"},"
        + "\"status\":{\"phase\":\"Pending\",\"initContainerStatuses\":[{\"name\":\"load-model\",\"restartCount\":0,\"state\":" + state + "}]}}]}";

    private static Func<CannedRequest, CannedResponse> Pod(string log, params string[] states)
    {
        var lists = 0;
        return r => r.Path.EndsWith("/log", StringComparison.Ordinal)
            ? new CannedResponse(200, log, "text/plain")
            : CannedResponse.Json(PodList(states[Math.Min(Interlocked.Increment(ref lists) - 1, states.Length - 1)]));
    }

    private static IKubernetes Client(CannedHttpServer server) =>
        KubernetesClientFactory.Create(new KubernetesClientConfiguration { Host = server.Url }, new RetryPolicy(1, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero));

    [Test]
    public async Task Returns_exit_code_zero_with_the_log()
    {
        await using var server = new CannedHttpServer(Pod("loading\nmigrated 12 types\n", """{"running":{}}""", """{"terminated":{"exitCode":0,"reason":"Completed"}}"""));
        using var client = Client(server);
        var lines = new List<string>();
        var exit = await new ContainerExitFollower(client).FollowToExitAsync("vantiq", "vantiq-0", "load-model", lines.Add, TimeSpan.FromSeconds(30));
        Assert.That(exit.Succeeded, Is.True);
        Assert.That(exit.Reason, Is.EqualTo("Completed"));
        Assert.That(lines, Is.EqualTo(new[] { "loading", "migrated 12 types" }));
        var log = server.Requests.Single(r => r.Path.EndsWith("/log", StringComparison.Ordinal));
        Assert.That(log.Path, Is.EqualTo("/api/v1/namespaces/vantiq/pods/vantiq-0/log"));
        Assert.That(log.Query, Does.Contain("container=load-model").And.Contain("follow=true"));
    }

    [Test]
    public async Task Returns_a_non_zero_exit_with_the_tail()
    {
        await using var server = new CannedHttpServer(Pod("a\nb\nschema error\n", """{"running":{}}""", """{"terminated":{"exitCode":2,"reason":"Error"}}"""));
        using var client = Client(server);
        var exit = await new ContainerExitFollower(client).FollowToExitAsync("vantiq", "vantiq-0", "load-model", _ => { }, TimeSpan.FromSeconds(30), tailLines: 2);
        Assert.That(exit.ExitCode, Is.EqualTo(2));
        Assert.That(exit.Succeeded, Is.False);
        Assert.That(exit.Tail, Is.EqualTo(new[] { "b", "schema error" }));
    }

    [Test]
    public async Task Times_out_naming_pod_and_container_while_it_never_starts()
    {
        await using var server = new CannedHttpServer(r => r.Query.Contains("watch=true")
            ? CannedResponse.Json("")
            : CannedResponse.Json(PodList("""{"waiting":{"reason":"PodInitializing"}}""")));
        using var client = Client(server);
        var e = Assert.ThrowsAsync<KubeRunbooks.Kubernetes.Watching.WaitTimeoutException>(() =>
            new ContainerExitFollower(client).FollowToExitAsync("vantiq", "vantiq-0", "load-model", _ => { }, TimeSpan.FromMilliseconds(300)));
        Assert.That(e!.Message, Is.EqualTo("Timed out after 0s waiting for container load-model of pod vantiq/vantiq-0 to start (last seen: waiting: PodInitializing)."));
        Assert.That(server.Requests.Where(r => r.Path.EndsWith("/log", StringComparison.Ordinal)), Is.Empty, "no log read before the container started");
    }
}

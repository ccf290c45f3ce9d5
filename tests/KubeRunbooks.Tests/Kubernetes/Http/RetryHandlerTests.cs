using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeRunbooks.Kubernetes.Http;
using KubeRunbooks.Tests.Kubernetes.Support;

namespace KubeRunbooks.Tests.Kubernetes.Http;

[TestFixture]
public class RetryHandlerTests
{
    private const string PodJson = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"vantiq-0","namespace":"vantiq"}}""";

    // Short delays keep the tests fast; the delays themselves are not asserted.
    private static readonly RetryPolicy Fast = new(4, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(50));

    private static IKubernetes Client(CannedHttpServer server, List<string> log, RetryPolicy? policy = null) =>
        KubernetesClientFactory.Create(new KubernetesClientConfiguration { Host = server.Url }, policy ?? Fast, log.Add);

    private static Func<CannedRequest, CannedResponse> Sequence(params CannedResponse[] responses)
    {
        var next = 0;
        return _ => responses[Math.Min(Interlocked.Increment(ref next) - 1, responses.Length - 1)];
    }

    [Test]
    public async Task Retries_a_GET_after_429_and_honours_Retry_After()
    {
        var retryAfter = new Dictionary<string, string> { ["Retry-After"] = "0" };
        await using var server = new CannedHttpServer(Sequence(new CannedResponse(429, """{"kind":"Status"}""", Headers: retryAfter), CannedResponse.Json(PodJson)));
        var log = new List<string>();
        using var client = (k8s.Kubernetes)Client(server, log);
        var pod = await client.CoreV1.ReadNamespacedPodAsync("vantiq-0", "vantiq");
        Assert.That(pod.Metadata.Name, Is.EqualTo("vantiq-0"));
        Assert.That(server.Requests, Has.Count.EqualTo(2));
        Assert.That(log, Has.Count.EqualTo(1));
        Assert.That(log[0], Is.EqualTo("Kubernetes API GET /api/v1/namespaces/vantiq/pods/vantiq-0: HTTP 429; retry 1/3 in 0s."));
    }

    [Test]
    public async Task Retries_5xx_then_gives_up_after_the_bounded_attempts()
    {
        await using var server = new CannedHttpServer(_ => new CannedResponse(503, """{"kind":"Status","code":503}"""));
        var log = new List<string>();
        using var client = (k8s.Kubernetes)Client(server, log);
        var e = Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedPodAsync("vantiq-0", "vantiq"));
        Assert.That(e!.Response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(server.Requests, Has.Count.EqualTo(4));
        Assert.That(log, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task Retries_a_dropped_connection_on_a_GET()
    {
        // SocketsHttpHandler itself resends a body-less request up to 3 times when the connection closes before any
        // answer; five drops in a row get past it to the retry handler.
        var drop = CannedResponse.Dropped();
        await using var server = new CannedHttpServer(Sequence(drop, drop, drop, drop, drop, CannedResponse.Json(PodJson)));
        var log = new List<string>();
        using var client = (k8s.Kubernetes)Client(server, log);
        var pod = await client.CoreV1.ReadNamespacedPodAsync("vantiq-0", "vantiq");
        Assert.That(pod.Metadata.Name, Is.EqualTo("vantiq-0"));
        Assert.That(server.Requests, Has.Count.EqualTo(6));
        Assert.That(log, Is.Not.Empty);
        Assert.That(log, Has.All.Contains("GET /api/v1/namespaces/vantiq/pods/vantiq-0: connection failed"));
    }

    [Test]
    public async Task Retries_a_PATCH_after_500()
    {
        const string scale = """{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"vantiq"},"spec":{"replicas":0}}""";
        await using var server = new CannedHttpServer(Sequence(new CannedResponse(500, "{}"), CannedResponse.Json(scale)));
        var log = new List<string>();
        using var client = (k8s.Kubernetes)Client(server, log);
        await client.AppsV1.PatchNamespacedStatefulSetScaleAsync(new V1Patch("""{"spec":{"replicas":0}}""", V1Patch.PatchType.MergePatch), "vantiq", "vantiq");
        Assert.That(server.Requests.Select(r => r.Method), Is.EqualTo(new[] { "PATCH", "PATCH" }));
        Assert.That(server.Requests[1].Body, Is.EqualTo("""{"spec":{"replicas":0}}"""), "the body is sent again intact");
    }

    [Test]
    public async Task Does_not_resend_a_POST_that_reached_the_server()
    {
        await using var server = new CannedHttpServer(_ => new CannedResponse(500, """{"kind":"Status","code":500}"""));
        var log = new List<string>();
        using var client = (k8s.Kubernetes)Client(server, log);
        var job = new V1Job { Metadata = new V1ObjectMeta { Name = "j" } };
        Assert.ThrowsAsync<HttpOperationException>(() => client.BatchV1.CreateNamespacedJobAsync(job, "vantiq"));
        Assert.That(server.Requests, Has.Count.EqualTo(1));
        Assert.That(log, Is.Empty);
    }

    [Test]
    public async Task Does_not_resend_a_POST_whose_connection_dropped_after_sending()
    {
        await using var server = new CannedHttpServer(_ => CannedResponse.Dropped());
        var log = new List<string>();
        using var client = (k8s.Kubernetes)Client(server, log);
        var job = new V1Job { Metadata = new V1ObjectMeta { Name = "j" } };
        Assert.ThrowsAsync<HttpRequestException>(() => client.BatchV1.CreateNamespacedJobAsync(job, "vantiq"));
        Assert.That(server.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Resends_a_POST_rejected_with_429()
    {
        const string created = """{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"}}""";
        await using var server = new CannedHttpServer(Sequence(new CannedResponse(429, "{}"), CannedResponse.Json(created, 201)));
        var log = new List<string>();
        using var client = (k8s.Kubernetes)Client(server, log);
        var job = await client.BatchV1.CreateNamespacedJobAsync(new V1Job { Metadata = new V1ObjectMeta { Name = "j" } }, "vantiq");
        Assert.That(job.Metadata.Name, Is.EqualTo("j"));
        Assert.That(server.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Resends_a_POST_that_never_connected()
    {
        // A port that was free a moment ago: nothing listens, the connection is refused.
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var log = new List<string>();
        using var client = KubernetesClientFactory.Create(new KubernetesClientConfiguration { Host = $"http://127.0.0.1:{port}" }, Fast, log.Add);
        Assert.ThrowsAsync<HttpRequestException>(() => client.BatchV1.CreateNamespacedJobAsync(new V1Job { Metadata = new V1ObjectMeta { Name = "j" } }, "vantiq"));
        Assert.That(log, Has.Count.EqualTo(3));
        Assert.That(log, Has.All.Contains("POST /apis/batch/v1/namespaces/vantiq/jobs: connection failed (ConnectionError)"));
        await Task.CompletedTask;
    }

    [Test]
    public async Task Does_not_retry_a_404()
    {
        await using var server = new CannedHttpServer(_ => new CannedResponse(404, """{"kind":"Status","code":404}"""));
        var log = new List<string>();
        using var client = (k8s.Kubernetes)Client(server, log);
        Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedPodAsync("x", "vantiq"));
        Assert.That(server.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public void A_long_Retry_After_is_capped_and_an_http_date_is_read()
    {
        var now = new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(now.AddSeconds(7));
        Assert.That(RetryHandler.RetryAfter(response, now), Is.EqualTo(TimeSpan.FromSeconds(7)));
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(3));
        Assert.That(RetryHandler.RetryAfter(response, now), Is.EqualTo(TimeSpan.FromSeconds(3)));
        response.Headers.RetryAfter = null;
        Assert.That(RetryHandler.RetryAfter(response, now), Is.Null);
    }

    [Test]
    public void Backoff_doubles_is_capped_and_jittered_within_half()
    {
        var policy = new RetryPolicy(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(60));
        Assert.That(policy.Backoff(1, 0), Is.EqualTo(TimeSpan.FromMilliseconds(50)));
        Assert.That(policy.Backoff(1, 0.999999), Is.EqualTo(TimeSpan.FromMilliseconds(100)).Within(TimeSpan.FromMilliseconds(0.01)));
        Assert.That(policy.Backoff(2, 0), Is.EqualTo(TimeSpan.FromMilliseconds(100)));
        Assert.That(policy.Backoff(10, 0), Is.EqualTo(TimeSpan.FromMilliseconds(250)), "capped at MaxDelay before jitter");
    }

    [TestCase("GET", 503, true)]
    [TestCase("PUT", 502, true)]
    [TestCase("DELETE", 504, true)]
    [TestCase("POST", 503, false)]
    [TestCase("POST", 429, true)]
    [TestCase("GET", 400, false)]
    [TestCase("GET", 409, false)]
    public void Retries_only_safe_method_and_status_pairs(string method, int status, bool expected)
    {
        Assert.That(RetryHandler.MayRetryStatus(new HttpMethod(method), (HttpStatusCode)status), Is.EqualTo(expected));
    }
}

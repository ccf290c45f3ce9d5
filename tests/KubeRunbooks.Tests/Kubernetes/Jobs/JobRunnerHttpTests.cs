using k8s;
using k8s.Models;
using KubeRunbooks.Kubernetes.Http;
using KubeRunbooks.Kubernetes.Jobs;
using KubeRunbooks.Tests.Kubernetes.Support;

namespace KubeRunbooks.Tests.Kubernetes.Jobs;

/// <summary>The job runner's calls against a canned responder: create, find the pod, follow its log, read the condition.</summary>
[TestFixture]
public class JobRunnerHttpTests
{
    private const string Name = "mongobackup-manual-20261123193000";

    private static string JobJson(string? condition) =>
        "{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"" + Name + "\",\"namespace\":\"vantiq\",\"resourceVersion\":\"5\"},\"status\":{"
        + (condition is null ? "\"active\":1" : "\"conditions\":[{\"type\":\"" + condition + "\",\"status\":\"True\",\"reason\":\"BackoffLimitExceeded\",\"message\":\"Job has reached the specified backoff limit\"}]")
        + "}}";

    private const string PodList = """{"apiVersion":"v1","kind":"PodList","metadata":{"resourceVersion":"9"},"items":[{"metadata":{"name":"mongobackup-manual-20261123193000-abcde","creationTimestamp":"2026-11-23T19:30:01Z"},"spec":{"containers":[{"name":"backup","image":"mongo"}]},"status":{"phase":"Running","containerStatuses":[{"name":"backup","state":{"running":{}}}]}}]}""";

    private static Func<CannedRequest, CannedResponse> Cluster(string finalCondition, string log, bool finishedBefore = false)
    {
        var jobReads = 0;
        return r =>
        {
            if (r.Method == "POST") return CannedResponse.Json(JobJson(null), 201);
            if (r.Path.EndsWith("/log", StringComparison.Ordinal)) return new CannedResponse(200, log, "text/plain");
            if (r.Path == "/api/v1/namespaces/vantiq/pods") return CannedResponse.Json(PodList);
            if (r.Path == $"/apis/batch/v1/namespaces/vantiq/jobs/{Name}")
                return CannedResponse.Json(JobJson(finishedBefore || Interlocked.Increment(ref jobReads) > 1 ? finalCondition : null));
            if (r.Path == "/apis/batch/v1/namespaces/vantiq/jobs")
                return CannedResponse.Json("{\"apiVersion\":\"batch/v1\",\"kind\":\"JobList\",\"metadata\":{\"resourceVersion\":\"12\"},\"items\":[" + JobJson(finalCondition) + "]}");
            return new CannedResponse(404, """{"kind":"Status","code":404}""");
        };
    }

    private static IKubernetes Client(CannedHttpServer server) =>
        KubernetesClientFactory.Create(new KubernetesClientConfiguration { Host = server.Url }, new RetryPolicy(1, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero));

    private static V1Job Job() => new() { ApiVersion = "batch/v1", Kind = "Job", Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = "vantiq" } };

    [Test]
    public async Task Follows_the_pod_log_into_the_sink_and_returns_on_Complete()
    {
        await using var server = new CannedHttpServer(Cluster("Complete", "dumping db\nbackup id b-42\n"));
        using var client = Client(server);
        var lines = new List<string>();
        var result = await new JobRunner(client).RunAsync(Job(), lines.Add, TimeSpan.FromSeconds(30));
        Assert.That(lines, Is.EqualTo(new[] { "dumping db", "backup id b-42" }));
        Assert.That(result, Is.EqualTo(result with { JobName = Name, PodName = "mongobackup-manual-20261123193000-abcde" }));
        Assert.That(result.Tail, Is.EqualTo(lines));
        var podQuery = server.Requests.First(r => r.Path == "/api/v1/namespaces/vantiq/pods").Query;
        Assert.That(Uri.UnescapeDataString(podQuery), Does.Contain("labelSelector=job-name=" + Name));
        var logRequest = server.Requests.Single(r => r.Path.EndsWith("/log", StringComparison.Ordinal));
        Assert.That(logRequest.Query, Does.Contain("container=backup").And.Contain("follow=true"));
        Assert.That(server.Requests.First().Method, Is.EqualTo("POST"));
    }

    [Test]
    public async Task A_Failed_job_raises_with_the_log_tail_in_one_line_message()
    {
        await using var server = new CannedHttpServer(Cluster("Failed", "connecting\nerror: auth failed\n"));
        using var client = Client(server);
        var e = Assert.ThrowsAsync<JobFailedException>(() => new JobRunner(client).RunAsync(Job(), _ => { }, TimeSpan.FromSeconds(30)));
        Assert.That(e!.Message, Is.EqualTo($"Job {Name} failed: BackoffLimitExceeded: Job has reached the specified backoff limit."));
        Assert.That(e.Tail, Is.EqualTo(new[] { "connecting", "error: auth failed" }));
    }

    [Test]
    public async Task The_tail_keeps_only_the_last_lines()
    {
        var log = string.Join("\n", Enumerable.Range(1, 100).Select(i => $"line {i}")) + "\n";
        await using var server = new CannedHttpServer(Cluster("Failed", log));
        using var client = Client(server);
        var e = Assert.ThrowsAsync<JobFailedException>(() => new JobRunner(client) { TailLines = 3 }.RunAsync(Job(), _ => { }, TimeSpan.FromSeconds(30)));
        Assert.That(e!.Tail, Is.EqualTo(new[] { "line 98", "line 99", "line 100" }));
    }

    [Test]
    public async Task Following_a_job_that_already_finished_shows_the_log_its_pod_left_without_watching()
    {
        await using var server = new CannedHttpServer(Cluster("Complete", "dumped\n", finishedBefore: true));
        using var client = Client(server);
        var lines = new List<string>();
        var result = await new JobRunner(client).FollowAsync("vantiq", Name, lines.Add, TimeSpan.FromSeconds(30));
        Assert.That(lines, Is.EqualTo(new[] { "dumped" }));
        Assert.That(result.PodName, Is.EqualTo("mongobackup-manual-20261123193000-abcde"));
        Assert.That(server.Requests.Where(r => r.Query.Contains("watch=true")), Is.Empty, "a finished Job is not watched");
    }

    [Test]
    public async Task A_finished_job_whose_log_is_gone_is_still_decided_from_the_job()
    {
        var cluster = Cluster("Complete", "", finishedBefore: true);
        await using var server = new CannedHttpServer(r => r.Path.EndsWith("/log", StringComparison.Ordinal)
            ? new CannedResponse(404, """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}""")
            : cluster(r));
        using var client = Client(server);
        var progress = new List<string>();
        var result = await new JobRunner(client, progress.Add).FollowAsync("vantiq", Name, _ => { }, TimeSpan.FromSeconds(30));
        Assert.That(result.PodName, Is.Null);
        Assert.That(progress, Has.Some.Contains("is no longer available (404)"));
    }

    [Test]
    public async Task Following_a_finished_job_whose_pods_are_gone_decides_from_the_job_alone()
    {
        const string noPods = """{"apiVersion":"v1","kind":"PodList","metadata":{"resourceVersion":"9"},"items":[]}""";
        var cluster = Cluster("Complete", "", finishedBefore: true);
        await using var server = new CannedHttpServer(r => r.Path == "/api/v1/namespaces/vantiq/pods" ? CannedResponse.Json(noPods) : cluster(r));
        using var client = Client(server);
        var result = await new JobRunner(client).FollowAsync("vantiq", Name, _ => { }, TimeSpan.FromSeconds(30));
        Assert.That(result.PodName, Is.Null);
        Assert.That(server.Requests.Select(r => r.Path), Is.EqualTo(new[] { $"/apis/batch/v1/namespaces/vantiq/jobs/{Name}", "/api/v1/namespaces/vantiq/pods" }));
    }

    [Test]
    public async Task A_job_failing_before_any_pod_starts_ends_the_wait_at_once()
    {
        const string noPods = """{"apiVersion":"v1","kind":"PodList","metadata":{"resourceVersion":"9"},"items":[]}""";
        var cluster = Cluster("Failed", "");
        await using var server = new CannedHttpServer(r => r.Path == "/api/v1/namespaces/vantiq/pods"
            ? (r.Query.Contains("watch=true") ? CannedResponse.Json("") : CannedResponse.Json(noPods))
            : cluster(r));
        using var client = Client(server);
        // The timeout is far away: only the Job's Failed condition can end this wait.
        var e = Assert.ThrowsAsync<JobFailedException>(() => new JobRunner(client).RunAsync(Job(), _ => { }, TimeSpan.FromMinutes(10)));
        Assert.That(e!.Tail, Is.Empty);
        Assert.That(server.Requests.Where(r => r.Path.EndsWith("/log", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public async Task A_missing_CronJob_is_one_line()
    {
        await using var server = new CannedHttpServer(_ => new CannedResponse(404, """{"kind":"Status","code":404}"""));
        using var client = Client(server);
        Assert.That(() => new JobRunner(client).ReadCronJobAsync("vantiq", "mongobackup"),
            Throws.InstanceOf<InvalidDataException>().With.Message.EqualTo("cronjob vantiq/mongobackup does not exist."));
    }
}

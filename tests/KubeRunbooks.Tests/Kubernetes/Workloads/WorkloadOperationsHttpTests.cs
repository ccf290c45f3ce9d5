using System.Net;
using System.Text.Json.Nodes;
using k8s;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Kubernetes.Http;
using KubeRunbooks.Kubernetes.Watching;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Tests.Kubernetes.Support;

namespace KubeRunbooks.Tests.Kubernetes.Workloads;

/// <summary>The requests the workload operations put on the wire, against a canned responder.</summary>
[TestFixture]
public class WorkloadOperationsHttpTests
{
    private static readonly WorkloadRef Vantiq = WorkloadRef.StatefulSet("vantiq", "vantiq");

    private static string Sts(int replicas, int ready, string? annotations = null) =>
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"StatefulSet\",\"metadata\":{\"name\":\"vantiq\",\"namespace\":\"vantiq\",\"generation\":2,\"resourceVersion\":\"7\""
        + (annotations is null ? "" : ",\"annotations\":" + annotations) + "},"
        + "\"spec\":{\"replicas\":" + replicas + ",\"selector\":{\"matchLabels\":{\"app\":\"vantiq\"}},"
        + "\"template\":{\"spec\":{\"containers\":[{\"name\":\"vantiq\",\"image\":\"quay.io/v/vantiq:1.30.10\"}]}}},"
        + "\"status\":{\"observedGeneration\":2,\"replicas\":" + ready + ",\"readyReplicas\":" + ready + "}}";

    private static IKubernetes Client(CannedHttpServer server) =>
        KubernetesClientFactory.Create(new KubernetesClientConfiguration { Host = server.Url }, new RetryPolicy(1, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero));

    [Test]
    public async Task Scale_patches_the_scale_subresource_with_a_merge_patch()
    {
        await using var server = new CannedHttpServer(_ => CannedResponse.Json("""{"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"vantiq"},"spec":{"replicas":0}}"""));
        using var client = Client(server);
        await new WorkloadOperations(client).ScaleAsync(Vantiq, 0);
        var request = server.Requests.Single();
        Assert.That((request.Method, request.Path), Is.EqualTo(("PATCH", "/apis/apps/v1/namespaces/vantiq/statefulsets/vantiq/scale")));
        Assert.That(request.Headers["Content-Type"], Does.StartWith("application/merge-patch+json"));
        Assert.That(request.Body, Is.EqualTo("""{"spec":{"replicas":0}}"""));
    }

    [Test]
    public async Task Scaling_a_missing_workload_is_one_line_naming_it()
    {
        await using var server = new CannedHttpServer(_ => new CannedResponse(404, """{"kind":"Status","code":404}"""));
        using var client = Client(server);
        Assert.That(() => new WorkloadOperations(client).ScaleAsync(WorkloadRef.Deployment("kqi", "app"), 1),
            Throws.InstanceOf<WorkloadNotFoundException>().With.Message.EqualTo("deployment kqi/app does not exist."));
        Assert.That(server.Requests.Single().Path, Is.EqualTo("/apis/apps/v1/namespaces/kqi/deployments/app/scale"));
    }

    [Test]
    public async Task TryGet_returns_null_for_an_absent_optional_workload()
    {
        await using var server = new CannedHttpServer(_ => new CannedResponse(404, """{"kind":"Status","code":404}"""));
        using var client = Client(server);
        Assert.That(await new WorkloadOperations(client).TryGetAsync(WorkloadRef.StatefulSet("vantiq", "vision-analytics")), Is.Null);
    }

    [Test]
    public async Task SetImageTag_sends_a_strategic_merge_patch_and_returns_the_previous_image()
    {
        await using var server = new CannedHttpServer(_ => CannedResponse.Json(Sts(3, 3)));
        using var client = Client(server);
        var lines = new List<string>();
        var previous = await new WorkloadOperations(client, lines.Add).SetImageTagAsync(Vantiq, "vantiq", "1.31.0");
        Assert.That(previous.Tag, Is.EqualTo("1.30.10"));
        var patch = server.Requests.Single(r => r.Method == "PATCH");
        Assert.That(patch.Headers["Content-Type"], Does.StartWith("application/strategic-merge-patch+json"));
        Assert.That(JsonNode.Parse(patch.Body)!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>(), Is.EqualTo("quay.io/v/vantiq:1.31.0"));
        Assert.That(lines, Has.One.EqualTo("Setting image of container vantiq of statefulset vantiq/vantiq: quay.io/v/vantiq:1.30.10 -> quay.io/v/vantiq:1.31.0."));
    }

    [Test]
    public async Task SetRepositoryTag_changes_init_and_main_containers_of_the_repository_in_one_patch()
    {
        const string sts = """{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"vantiq","namespace":"vantiq","resourceVersion":"7"},"spec":{"template":{"spec":{"initContainers":[{"name":"load-model","image":"quay.io/v/vantiq:1.30.10"}],"containers":[{"name":"vantiq","image":"quay.io/v/vantiq:1.30.10"},{"name":"sidecar","image":"quay.io/v/proxy:1.30.10"}]}}}}""";
        await using var server = new CannedHttpServer(_ => CannedResponse.Json(sts));
        using var client = Client(server);

        var previous = await new WorkloadOperations(client).SetRepositoryTagAsync(Vantiq, "quay.io/v/vantiq", "1.31.0");

        Assert.That(previous.Select(p => $"{p.Container}={p.Previous}"), Is.EquivalentTo(new[] { "vantiq=quay.io/v/vantiq:1.30.10", "load-model=quay.io/v/vantiq:1.30.10" }));
        var patch = JsonNode.Parse(server.Requests.Single(r => r.Method == "PATCH").Body)!["spec"]!["template"]!["spec"]!;
        Assert.That(patch["containers"]!.ToJsonString(), Is.EqualTo("""[{"name":"vantiq","image":"quay.io/v/vantiq:1.31.0"}]"""), "the sidecar of another repository is not touched");
        Assert.That(patch["initContainers"]!.ToJsonString(), Is.EqualTo("""[{"name":"load-model","image":"quay.io/v/vantiq:1.31.0"}]"""));
    }

    [Test]
    public async Task SetRepositoryTag_sends_nothing_when_every_container_has_the_tag_already()
    {
        await using var server = new CannedHttpServer(_ => CannedResponse.Json(Sts(3, 3)));
        using var client = Client(server);

        var previous = await new WorkloadOperations(client).SetRepositoryTagAsync(Vantiq, "quay.io/v/vantiq", "1.30.10");

        Assert.That(previous, Is.Empty);
        Assert.That(server.Requests.Where(r => r.Method == "PATCH"), Is.Empty);
    }

    [Test]
    public async Task Recording_replicas_writes_once_and_keeps_the_first_record()
    {
        await using var server = new CannedHttpServer(_ => CannedResponse.Json(Sts(3, 3)));
        using var client = Client(server);
        var store = new AnnotationStore(new WorkloadOperations(client));
        Assert.That(await store.RecordOriginalReplicasAsync(Vantiq), Is.EqualTo(3));
        var patch = server.Requests.Single(r => r.Method == "PATCH");
        Assert.That(patch.Headers["Content-Type"], Does.StartWith("application/merge-patch+json"));
        Assert.That(patch.Body, Is.EqualTo("""{"metadata":{"annotations":{"kuberunbooks.io/original-replicas":"3"}}}"""));

        // A rerun after the stop finds replicas 0 and the record 3: the record wins and nothing is written.
        await using var stopped = new CannedHttpServer(_ => CannedResponse.Json(Sts(0, 0, """{"kuberunbooks.io/original-replicas":"3"}""")));
        using var client2 = Client(stopped);
        var store2 = new AnnotationStore(new WorkloadOperations(client2));
        Assert.That(await store2.RecordOriginalReplicasAsync(Vantiq), Is.EqualTo(3));
        Assert.That(await store2.ReadOriginalReplicasAsync(Vantiq), Is.EqualTo(3));
        Assert.That(stopped.Requests.Where(r => r.Method == "PATCH"), Is.Empty);
    }

    [Test]
    public async Task A_corrupt_replicas_record_is_one_line()
    {
        await using var server = new CannedHttpServer(_ => CannedResponse.Json(Sts(0, 0, """{"kuberunbooks.io/original-replicas":"three"}""")));
        using var client = Client(server);
        Assert.That(() => new AnnotationStore(new WorkloadOperations(client)).ReadOriginalReplicasAsync(Vantiq),
            Throws.InstanceOf<InvalidDataException>().With.Message.EqualTo("Annotation kuberunbooks.io/original-replicas on statefulset vantiq/vantiq is 'three', not a replica count."));
    }

    [Test]
    public async Task Waiting_for_zero_lists_then_watches_the_pods_by_selector()
    {
        const string podList = """{"apiVersion":"v1","kind":"PodList","metadata":{"resourceVersion":"20"},"items":[{"metadata":{"name":"vantiq-0","resourceVersion":"19"}}]}""";
        const string deleted = """{"type":"DELETED","object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"vantiq-0","resourceVersion":"21"}}}""";
        await using var server = new CannedHttpServer(r =>
            r.Path.EndsWith("/statefulsets/vantiq", StringComparison.Ordinal) ? CannedResponse.Json(Sts(0, 0))
            : r.Query.Contains("watch=true") ? CannedResponse.Json(deleted + "\n")
            : CannedResponse.Json(podList));
        using var client = Client(server);
        await new WorkloadOperations(client).WaitForReplicasAsync(Vantiq, 0, TimeSpan.FromSeconds(30));
        var watch = server.Requests.Single(r => r.Query.Contains("watch=true"));
        Assert.That(watch.Path, Is.EqualTo("/api/v1/namespaces/vantiq/pods"));
        Assert.That(WebUtility.UrlDecode(watch.Query), Does.Contain("labelSelector=app=vantiq").And.Contain("resourceVersion=20").And.Contain("timeoutSeconds=60"));
    }

    [Test]
    public async Task Waiting_for_N_times_out_naming_the_workload_and_its_state()
    {
        const string list = """{"apiVersion":"apps/v1","kind":"StatefulSetList","metadata":{"resourceVersion":"30"},"items":[STS]}""";
        await using var server = new CannedHttpServer(r => r.Query.Contains("watch=true")
            ? CannedResponse.Json("") // the watch ends at once without events; the loop resumes until the deadline
            : CannedResponse.Json(list.Replace("STS", Sts(1, 0))));
        using var client = Client(server);
        var e = Assert.ThrowsAsync<WaitTimeoutException>(() => new WorkloadOperations(client).WaitForReplicasAsync(Vantiq, 1, TimeSpan.FromMilliseconds(300)));
        Assert.That(e!.Message, Does.StartWith("Timed out after 0s waiting for statefulset vantiq/vantiq to have 1 ready replicas (last seen: 0/1 ready"));
    }
}

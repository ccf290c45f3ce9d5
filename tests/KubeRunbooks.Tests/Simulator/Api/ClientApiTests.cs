using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Api;

/// <summary>The real KubernetesClient (and raw HTTP where the client hides the wire) against the simulated API server.</summary>
[TestFixture]
public sealed class ClientApiTests : ClusterFixture
{
    [Test]
    public async Task Create_sets_server_fields_and_defaults()
    {
        var ns = await NewNamespaceAsync();

        var sts = await Client.AppsV1.CreateNamespacedStatefulSetAsync(TestObjects.ServerStatefulSet("vantiq", 3), ns);

        Assert.Multiple(() =>
        {
            Assert.That(sts.Metadata.Uid, Is.Not.Empty);
            Assert.That(sts.Metadata.CreationTimestamp, Is.Not.Null);
            Assert.That(sts.Metadata.Generation, Is.EqualTo(1));
            Assert.That(long.Parse(sts.Metadata.ResourceVersion), Is.GreaterThan(0));
            Assert.That(sts.Spec.UpdateStrategy.Type, Is.EqualTo("RollingUpdate"));
            Assert.That(sts.Spec.UpdateStrategy.RollingUpdate.Partition, Is.Zero);
            Assert.That(sts.Metadata.NamespaceProperty, Is.EqualTo(ns));
        });
    }

    [Test]
    public async Task Resource_versions_increase_with_every_change()
    {
        var ns = await NewNamespaceAsync();
        var first = await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "a" } }, ns);
        var second = await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "b" } }, ns);
        var patched = await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"k\":\"v\"}}", V1Patch.PatchType.MergePatch), "a", ns);

        Assert.That(new[] { first, second, patched }.Select(c => long.Parse(c.Metadata.ResourceVersion)), Is.Ordered.Ascending.And.Unique);
    }

    [Test]
    public async Task Create_in_a_missing_namespace_is_not_found()
    {
        var e = Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "a" } }, "no-such-ns"));

        Assert.Multiple(() =>
        {
            Assert.That(e!.Response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(e.Response.Content, Does.Contain("namespaces \\\"no-such-ns\\\" not found"));
        });
    }

    [Test]
    public async Task Create_of_an_existing_name_is_already_exists()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "a" } }, ns);

        var e = Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "a" } }, ns));

        Assert.Multiple(() =>
        {
            Assert.That(e!.Response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(e.Response.Content, Does.Contain("\"reason\":\"AlreadyExists\""));
        });
    }

    [Test]
    public async Task Create_without_name_or_generate_name_is_invalid()
    {
        var ns = await NewNamespaceAsync();

        var e = Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() }, ns));

        Assert.That(e!.Response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
    }

    [Test]
    public async Task Generate_name_gives_distinct_names()
    {
        var ns = await NewNamespaceAsync();

        var names = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var pod = await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod { Metadata = new() { GenerateName = "backup-" }, Spec = new() { Containers = [new() { Name = "c", Image = "x" }] } }, ns);
            names.Add(pod.Metadata.Name);
        }

        Assert.That(names, Is.Unique.And.All.Match("^backup-[a-z0-9]{5}$"));
    }

    [Test]
    public async Task Update_with_a_stale_resource_version_is_a_conflict()
    {
        var ns = await NewNamespaceAsync();
        var stale = await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "a" } }, ns);
        var fresh = await Client.CoreV1.ReadNamespacedConfigMapAsync("a", ns);
        fresh.Data = new Dictionary<string, string> { ["x"] = "1" };
        await Client.CoreV1.ReplaceNamespacedConfigMapAsync(fresh, "a", ns);
        stale.Data = new Dictionary<string, string> { ["x"] = "2" };

        var e = Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ReplaceNamespacedConfigMapAsync(stale, "a", ns));

        Assert.Multiple(() =>
        {
            Assert.That(e!.Response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(e.Response.Content, Does.Contain("the object has been modified"));
        });
        Assert.That((await Client.CoreV1.ReadNamespacedConfigMapAsync("a", ns)).Data["x"], Is.EqualTo("1"));
    }

    [Test]
    public async Task Scale_subresource_get_patch_and_stale_put()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(TestObjects.ServerStatefulSet("vantiq", 3), ns);

        var scale = await Client.AppsV1.ReadNamespacedStatefulSetScaleAsync("vantiq", ns);
        var patched = await Client.AppsV1.PatchNamespacedStatefulSetScaleAsync(new V1Patch("{\"spec\":{\"replicas\":1}}", V1Patch.PatchType.MergePatch), "vantiq", ns);
        var patchedReplicas = patched.Spec.Replicas;
        scale.Spec.Replicas = 5;
        var e = Assert.ThrowsAsync<HttpOperationException>(() => Client.AppsV1.ReplaceNamespacedStatefulSetScaleAsync(scale, "vantiq", ns));
        patched.Spec.Replicas = 2;
        var replaced = await Client.AppsV1.ReplaceNamespacedStatefulSetScaleAsync(patched, "vantiq", ns);

        Assert.Multiple(() =>
        {
            Assert.That(scale.Kind, Is.EqualTo("Scale"));
            Assert.That(scale.Status.Selector, Is.EqualTo("app=vantiq"));
            Assert.That(patchedReplicas, Is.EqualTo(1));
            Assert.That(e!.Response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(replaced.Spec.Replicas, Is.EqualTo(2));
        });
        var sts = await Client.AppsV1.ReadNamespacedStatefulSetAsync("vantiq", ns);
        Assert.That(sts.Spec.Replicas, Is.EqualTo(2));
    }

    [Test]
    public async Task Negative_replicas_are_invalid()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(TestObjects.ServerStatefulSet("vantiq", 3), ns);

        var e = Assert.ThrowsAsync<HttpOperationException>(() =>
            Client.AppsV1.PatchNamespacedStatefulSetScaleAsync(new V1Patch("{\"spec\":{\"replicas\":-1}}", V1Patch.PatchType.MergePatch), "vantiq", ns));

        Assert.That(e!.Response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
    }

    [Test]
    public async Task Status_subresource_changes_only_status_and_main_update_keeps_status()
    {
        var ns = await NewNamespaceAsync();
        var created = await Client.AppsV1.CreateNamespacedStatefulSetAsync(TestObjects.ServerStatefulSet("vantiq", 3), ns);
        created.Status = new V1StatefulSetStatus { Replicas = 3, ReadyReplicas = 2, ObservedGeneration = 1 };
        created.Spec.Replicas = 9;

        var afterStatus = await Client.AppsV1.ReplaceNamespacedStatefulSetStatusAsync(created, "vantiq", ns);
        var (readyAfterStatus, replicasAfterStatus, generationAfterStatus) = (afterStatus.Status.ReadyReplicas, afterStatus.Spec.Replicas, afterStatus.Metadata.Generation);
        afterStatus.Status.ReadyReplicas = 0;
        afterStatus.Metadata.Labels["touched"] = "yes";
        var afterMain = await Client.AppsV1.ReplaceNamespacedStatefulSetAsync(afterStatus, "vantiq", ns);

        Assert.Multiple(() =>
        {
            Assert.That(readyAfterStatus, Is.EqualTo(2));
            Assert.That(replicasAfterStatus, Is.EqualTo(3));
            Assert.That(generationAfterStatus, Is.EqualTo(1));
            Assert.That(afterMain.Status.ReadyReplicas, Is.EqualTo(2));
            Assert.That(afterMain.Metadata.Labels["touched"], Is.EqualTo("yes"));
            Assert.That(afterMain.Metadata.Generation, Is.EqualTo(1), "a metadata-only change keeps the generation");
        });
    }

    [Test]
    public async Task Strategic_merge_merges_containers_and_env_by_name()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(TestObjects.ServerStatefulSet("vantiq", 3), ns);
        var patch = "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"vantiq\",\"env\":[{\"name\":\"LEVEL\",\"value\":\"debug\"},{\"name\":\"NEW\",\"value\":\"1\"}]}]}}}}";

        var sts = await Client.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), "vantiq", ns);

        var container = sts.Spec.Template.Spec.Containers.Single();
        Assert.Multiple(() =>
        {
            Assert.That(container.Image, Is.EqualTo("vantiq/vantiq-server:1.30.10"));
            Assert.That(container.Env.Select(e => $"{e.Name}={e.Value}"), Is.EqualTo(new[] { "MODE=cluster", "LEVEL=debug", "NEW=1" }));
            Assert.That(container.Ports.Single().ContainerPort, Is.EqualTo(8080));
            Assert.That(sts.Metadata.Generation, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Merge_patch_replaces_lists_whole()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(TestObjects.ServerStatefulSet("vantiq", 3), ns);
        var patch = "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"vantiq\",\"image\":\"x:2\"}]}}}}";

        var sts = await Client.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), "vantiq", ns);

        Assert.That(sts.Spec.Template.Spec.Containers.Single().Env, Is.Null);
    }

    [Test]
    public async Task Json_patch_test_operation_failure_leaves_the_object()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "a" }, Data = new Dictionary<string, string> { ["k"] = "1" } }, ns);
        var patch = "[{\"op\":\"test\",\"path\":\"/data/k\",\"value\":\"2\"},{\"op\":\"replace\",\"path\":\"/data/k\",\"value\":\"3\"}]";

        var e = Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(patch, V1Patch.PatchType.JsonPatch), "a", ns));

        Assert.That(e!.Response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That((await Client.CoreV1.ReadNamespacedConfigMapAsync("a", ns)).Data["k"], Is.EqualTo("1"));
    }

    [Test]
    public async Task Server_side_apply_creates_when_missing_and_needs_a_field_manager()
    {
        var ns = await NewNamespaceAsync();
        var body = $"{{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{{\"name\":\"s\",\"namespace\":\"{ns}\"}},\"stringData\":{{\"k\":\"v\"}}}}";

        var e = Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.PatchNamespacedSecretAsync(new V1Patch(body, V1Patch.PatchType.ApplyPatch), "s", ns));
        var secret = await Client.CoreV1.PatchNamespacedSecretAsync(new V1Patch(body, V1Patch.PatchType.ApplyPatch), "s", ns, fieldManager: "tests");

        Assert.Multiple(() =>
        {
            Assert.That(e!.Response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(Encoding.UTF8.GetString(secret.Data["k"]), Is.EqualTo("v"));
        });
    }

    [Test]
    public async Task Strict_field_validation_rejects_unknown_fields_and_default_drops_them()
    {
        var ns = await NewNamespaceAsync();
        using var http = NewHttpClient();
        var body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"data\":{\"a\":\"b\"},\"spec\":{\"x\":1}}";

        var strict = await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps?fieldValidation=Strict", new StringContent(body, Encoding.UTF8, "application/json"));
        var strictText = await strict.Content.ReadAsStringAsync();
        var lenient = await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps", new StringContent(body, Encoding.UTF8, "application/json"));
        var stored = JsonNode.Parse(await lenient.Content.ReadAsStringAsync())!;

        Assert.Multiple(() =>
        {
            Assert.That(strict.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(strictText, Does.Contain("ConfigMap in version \\\"v1\\\" cannot be handled as a ConfigMap: strict decoding error: unknown field \\\"spec\\\""));
            Assert.That(lenient.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(lenient.Headers.GetValues("Warning").Single(), Does.Contain("unknown field"));
            Assert.That(stored["spec"], Is.Null);
        });
    }

    [Test]
    public async Task Nested_unknown_field_is_named_with_its_path()
    {
        var ns = await NewNamespaceAsync();
        using var http = NewHttpClient();
        var body = "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\",\"imagee\":\"y\"}]}}";

        var response = await http.PostAsync($"/api/v1/namespaces/{ns}/pods?fieldValidation=Strict", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("unknown field \\\"spec.containers[0].imagee\\\""));
    }

    [Test]
    public async Task Protobuf_body_is_unsupported_media_type()
    {
        var ns = await NewNamespaceAsync();
        using var http = NewHttpClient();
        var content = new ByteArrayContent([0x6b, 0x38, 0x73, 0x00]);
        content.Headers.ContentType = new("application/vnd.kubernetes.protobuf");

        var response = await http.PostAsync($"/apis/batch/v1/namespaces/{ns}/jobs", content);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
            Assert.That((string?)status["kind"], Is.EqualTo("Status"));
        });
    }

    [Test]
    public async Task Protobuf_job_with_a_field_the_decoder_does_not_know_is_refused_naming_it()
    {
        var ns = await NewNamespaceAsync();
        using var http = NewHttpClient();
        // Envelope field 2 (raw) holds a Job with a field 7, which the Job message does not declare.
        byte[] job = [0x3a, 0x00];
        byte[] body = [.. "k8s\0"u8.ToArray(), 0x12, (byte)job.Length, .. job];
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/vnd.kubernetes.protobuf");

        var response = await http.PostAsync($"/apis/batch/v1/namespaces/{ns}/jobs", content);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("field 7 of Job is not supported"));
        });
    }

    [Test]
    public async Task Without_token_every_resource_is_unauthorized_but_version_is_public()
    {
        using var http = NewHttpClient(withToken: false);

        var pods = await http.GetAsync("/api/v1/pods");
        var version = await http.GetAsync("/version");
        var status = JsonNode.Parse(await pods.Content.ReadAsStringAsync())!;

        Assert.Multiple(() =>
        {
            Assert.That(pods.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((string?)status["reason"], Is.EqualTo("Unauthorized"));
            Assert.That(version.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Namespace_status_is_its_own_subresource()
    {
        var ns = await NewNamespaceAsync();

        var status = await Client.CoreV1.ReadNamespaceStatusAsync(ns);

        Assert.That(status.Status.Phase, Is.EqualTo("Active"));
    }

    [Test]
    public void The_default_namespace_may_not_be_deleted()
    {
        var e = Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.DeleteNamespaceAsync("default"));

        Assert.Multiple(() =>
        {
            Assert.That(e!.Response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(e.Response.Content, Does.Contain("this namespace may not be deleted"));
        });
    }

    [Test]
    public async Task Stateful_set_spec_beyond_the_mutable_fields_is_forbidden()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(TestObjects.ServerStatefulSet("vantiq", 3), ns);

        var e = Assert.ThrowsAsync<HttpOperationException>(() =>
            Client.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch("{\"spec\":{\"serviceName\":\"other\"}}", V1Patch.PatchType.MergePatch), "vantiq", ns));
        var image = await Client.AppsV1.PatchNamespacedStatefulSetAsync(
            new V1Patch("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"vantiq\",\"image\":\"v:2\"}]}}}}", V1Patch.PatchType.StrategicMergePatch), "vantiq", ns);

        Assert.Multiple(() =>
        {
            Assert.That(e!.Response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(e.Response.Content, Does.Contain("updates to statefulset spec for fields other than"));
            Assert.That(image.Spec.Template.Spec.Containers.Single().Image, Is.EqualTo("v:2"));
        });
    }

    [Test]
    public async Task A_job_template_is_immutable()
    {
        var ns = await NewNamespaceAsync();
        await Client.BatchV1.CreateNamespacedJobAsync(new V1Job { Metadata = new() { Name = "j" }, Spec = TestObjects.MongoBackupCronJob().Spec.JobTemplate.Spec }, ns);

        var e = Assert.ThrowsAsync<HttpOperationException>(() =>
            Client.BatchV1.PatchNamespacedJobAsync(new V1Patch("{\"spec\":{\"template\":{\"spec\":{\"restartPolicy\":\"OnFailure\"}}}}", V1Patch.PatchType.MergePatch), "j", ns));

        Assert.That(e!.Response.Content, Does.Contain("field is immutable"));
    }

    [Test]
    public async Task Delete_collection_deletes_only_what_the_selector_matches()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedPodAsync(TestObjects.Pod("a", new() { ["job-name"] = "backup" }), ns);
        await Client.CoreV1.CreateNamespacedPodAsync(TestObjects.Pod("b", new() { ["job-name"] = "backup" }), ns);
        await Client.CoreV1.CreateNamespacedPodAsync(TestObjects.Pod("c", new() { ["job-name"] = "other" }), ns);

        await Client.CoreV1.DeleteCollectionNamespacedPodAsync(ns, labelSelector: "job-name=backup");

        Assert.That(Client.CoreV1.ListNamespacedPod(ns).Items.Select(p => p.Metadata.Name), Is.EqualTo(new[] { "c" }));
    }

    [Test]
    public async Task Unknown_path_is_a_not_found_status()
    {
        using var http = NewHttpClient();

        var response = await http.GetAsync("/apis/example.com/v1/widgets");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task List_honours_selectors_and_pages_with_limit()
    {
        var ns = await NewNamespaceAsync();
        for (var i = 0; i < 5; i++)
        {
            await Client.CoreV1.CreateNamespacedPodAsync(TestObjects.Pod($"p{i}", new() { ["parity"] = i % 2 == 0 ? "even" : "odd" }), ns);
        }

        var even = await Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "parity=even");
        var notEven = await Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "parity notin (even)");
        var byName = await Client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "metadata.name=p3");
        var page1 = await Client.CoreV1.ListNamespacedPodAsync(ns, limit: 2);
        var page2 = await Client.CoreV1.ListNamespacedPodAsync(ns, limit: 2, continueParameter: page1.Metadata.ContinueProperty);
        var page3 = await Client.CoreV1.ListNamespacedPodAsync(ns, limit: 2, continueParameter: page2.Metadata.ContinueProperty);

        Assert.Multiple(() =>
        {
            Assert.That(even.Items.Select(p => p.Metadata.Name), Is.EqualTo(new[] { "p0", "p2", "p4" }));
            Assert.That(notEven.Items.Select(p => p.Metadata.Name), Is.EqualTo(new[] { "p1", "p3" }));
            Assert.That(byName.Items.Single().Metadata.Name, Is.EqualTo("p3"));
            Assert.That(page1.Items.Concat(page2.Items).Concat(page3.Items).Select(p => p.Metadata.Name), Is.EqualTo(new[] { "p0", "p1", "p2", "p3", "p4" }));
            Assert.That(page3.Metadata.ContinueProperty, Is.Null.Or.Empty);
        });
    }

    [Test]
    public async Task Malformed_label_selector_is_a_bad_request()
    {
        var ns = await NewNamespaceAsync();

        var e = Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "a in b"));

        Assert.That(e!.Response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Deleting_an_owner_collects_its_jobs_and_their_pods()
    {
        var ns = await NewNamespaceAsync();
        var cronJob = await Client.BatchV1.CreateNamespacedCronJobAsync(TestObjects.MongoBackupCronJob(), ns);
        var job = await Client.BatchV1.CreateNamespacedJobAsync(new V1Job
        {
            Metadata = new() { Name = "backup-1", OwnerReferences = [TestObjects.OwnerOf("batch/v1", "CronJob", cronJob.Metadata)] },
            Spec = cronJob.Spec.JobTemplate.Spec,
        }, ns);
        await Client.CoreV1.CreateNamespacedPodAsync(TestObjects.Pod("backup-1-abcde", owners: [TestObjects.OwnerOf("batch/v1", "Job", job.Metadata)]), ns);
        await Client.CoreV1.CreateNamespacedPodAsync(TestObjects.Pod("unrelated"), ns);

        await Client.BatchV1.DeleteNamespacedCronJobAsync("mongobackup", ns);

        Assert.Multiple(() =>
        {
            Assert.That(Client.BatchV1.ListNamespacedJob(ns).Items, Is.Empty);
            Assert.That(Client.CoreV1.ListNamespacedPod(ns).Items.Select(p => p.Metadata.Name), Is.EqualTo(new[] { "unrelated" }));
        });
    }

    [Test]
    public async Task Orphan_propagation_keeps_dependents_without_the_owner_reference()
    {
        var ns = await NewNamespaceAsync();
        var sts = await Client.AppsV1.CreateNamespacedStatefulSetAsync(TestObjects.ServerStatefulSet("vantiq", 1), ns);
        await Client.CoreV1.CreateNamespacedPodAsync(TestObjects.Pod("vantiq-0", owners: [TestObjects.OwnerOf("apps/v1", "StatefulSet", sts.Metadata)]), ns);

        await Client.AppsV1.DeleteNamespacedStatefulSetAsync("vantiq", ns, propagationPolicy: "Orphan");

        var pod = await Client.CoreV1.ReadNamespacedPodAsync("vantiq-0", ns);
        Assert.That(pod.Metadata.OwnerReferences, Is.Null.Or.Empty);
    }

    [Test]
    public async Task Delete_of_a_missing_object_is_not_found_with_the_servers_message()
    {
        var ns = await NewNamespaceAsync();

        var e = Assert.ThrowsAsync<HttpOperationException>(() => Client.AppsV1.DeleteNamespacedStatefulSetAsync("ghost", ns));

        Assert.That(e!.Response.Content, Does.Contain("statefulsets.apps \\\"ghost\\\" not found"));
    }

    [Test]
    public async Task Jobs_get_the_labels_and_defaults_a_real_server_adds()
    {
        var ns = await NewNamespaceAsync();

        var job = await Client.BatchV1.CreateNamespacedJobAsync(new V1Job { Metadata = new() { Name = "j" }, Spec = TestObjects.MongoBackupCronJob().Spec.JobTemplate.Spec }, ns);

        Assert.Multiple(() =>
        {
            Assert.That(job.Spec.Template.Metadata.Labels["batch.kubernetes.io/job-name"], Is.EqualTo("j"));
            Assert.That(job.Spec.Selector.MatchLabels["batch.kubernetes.io/controller-uid"], Is.EqualTo(job.Metadata.Uid));
            Assert.That(job.Spec.Completions, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Discovery_answers_aggregated_v_2_only_when_asked()
    {
        using var http = NewHttpClient();
        var aggregated = new HttpRequestMessage(HttpMethod.Get, "/apis");
        aggregated.Headers.TryAddWithoutValidation("Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");

        var v2 = await http.SendAsync(aggregated);
        var legacy = JsonNode.Parse(await http.GetStringAsync("/apis"))!;
        var v2Body = JsonNode.Parse(await v2.Content.ReadAsStringAsync())!;

        Assert.Multiple(() =>
        {
            Assert.That(v2.Content.Headers.ContentType!.ToString(), Does.Contain("as=APIGroupDiscoveryList"));
            Assert.That(v2Body["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]), Is.EquivalentTo(new[] { "apps", "batch", "coordination.k8s.io", "apps.openshift.io", "rbac.authorization.k8s.io" }));
            Assert.That((string?)legacy["kind"], Is.EqualTo("APIGroupList"));
        });
    }
}

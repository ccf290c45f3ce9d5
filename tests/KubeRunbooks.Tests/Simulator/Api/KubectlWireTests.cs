using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Api;

/// <summary>
/// The real kubectl against the simulated API server alone (no controllers, no runtime: one server and one fresh
/// discovery cache for the fixture); what needs pods to run is in Conformance/KubectlConformanceTests.
/// </summary>
[TestFixture]
public sealed class KubectlWireTests : ClusterFixture
{
    [Test]
    public async Task Get_json_returns_the_object()
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

    [Test]
    public async Task Get_of_a_missing_object_fails_with_the_servers_message()
    {
        var ns = await NewNamespaceAsync();

        var result = await Kubectl.RunAsync("get", "sts", "nothing", "-n", ns);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Not.Zero);
            Assert.That(result.Stderr, Does.Contain("statefulsets.apps \"nothing\" not found"));
        });
    }

    [Test]
    public async Task Get_list_falls_back_to_plain_columns_and_honours_label_selectors()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedPodAsync(TestObjects.Pod("web-1", new() { ["tier"] = "web" }), ns);
        await Client.CoreV1.CreateNamespacedPodAsync(TestObjects.Pod("db-1", new() { ["tier"] = "db" }), ns);

        var result = (await Kubectl.RunAsync("get", "pods", "-n", ns, "-l", "tier=web")).EnsureSuccess();

        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Does.Contain("web-1"));
            Assert.That(result.Stdout, Does.Not.Contain("db-1"));
        });
    }

    [Test]
    public async Task Get_pods_prints_ready_status_and_restarts_columns()
    {
        var ns = await NewNamespaceAsync();
        var pod = TestObjects.Pod("vantiq-0");
        pod.Spec.InitContainers = [new V1Container { Name = "load-model", Image = "x" }];
        await Client.CoreV1.CreateNamespacedPodAsync(pod, ns);
        await Client.CoreV1.CreateNamespacedPodAsync(TestObjects.Pod("vantiq-1"), ns);
        var failedInit = "{\"status\":{\"phase\":\"Pending\",\"initContainerStatuses\":[{\"name\":\"load-model\",\"ready\":false,\"restartCount\":0,\"image\":\"x\",\"imageID\":\"\",\"state\":{\"terminated\":{\"exitCode\":1,\"reason\":\"Error\"}}}]}}";
        var running = "{\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"main\",\"ready\":true,\"restartCount\":2,\"image\":\"busybox\",\"imageID\":\"\",\"state\":{\"running\":{}}}]}}";
        await Client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(failedInit, V1Patch.PatchType.MergePatch), "vantiq-0", ns);
        await Client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(running, V1Patch.PatchType.MergePatch), "vantiq-1", ns);

        var result = (await Kubectl.RunAsync("get", "pods", "-n", ns)).EnsureSuccess();

        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Is.EqualTo(new[] { "NAME", "READY", "STATUS", "RESTARTS", "AGE" }));
            Assert.That(lines[1][..4], Is.EqualTo(new[] { "vantiq-0", "0/1", "Init:Error", "0" }));
            Assert.That(lines[2][..4], Is.EqualTo(new[] { "vantiq-1", "1/1", "Running", "2" }));
        });
    }

    [Test]
    public async Task Get_stateful_sets_across_namespaces_prints_ready_counts()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(TestObjects.ServerStatefulSet("vantiq", 3), ns);

        var result = (await Kubectl.RunAsync("get", "sts", "-A")).EnsureSuccess();

        var line = result.Stdout.Split('\n').Single(l => l.StartsWith(ns)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(line[..3], Is.EqualTo(new[] { ns, "vantiq", "0/3" }));
    }

    [Test]
    public async Task Get_watch_prints_changes_as_rows()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedPodAsync(TestObjects.Pod("first"), ns);

        // "second" is created only once kubectl has printed the list: it watches from the list's resourceVersion,
        // so the row for "second" can only come from a watch event.
        var listed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watching = Kubectl.RunStreamingAsync(line => { if (line.StartsWith("first", StringComparison.Ordinal)) listed.TrySetResult(); },
            "get", "pods", "-n", ns, "--watch", "--request-timeout=5s");
        await listed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Client.CoreV1.CreateNamespacedPodAsync(TestObjects.Pod("second"), ns);
        var result = await watching;

        var rows = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(result.Stderr, Does.Not.Contain("unable to decode"));
            Assert.That(Array.FindIndex(rows, r => r.StartsWith("first", StringComparison.Ordinal)), Is.GreaterThan(0), result.Stdout);
            Assert.That(Array.FindIndex(rows, r => r.StartsWith("second", StringComparison.Ordinal)),
                Is.GreaterThan(Array.FindIndex(rows, r => r.StartsWith("first", StringComparison.Ordinal))), "the watch event's row follows the list");
            Assert.That(result.Stdout, Does.Contain("Pending"));
        });
    }

    [Test]
    public async Task Server_side_dry_run_changes_nothing()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(TestObjects.ServerStatefulSet("vantiq", 3), ns);
        var before = Cluster.Store.CurrentVersion;

        (await Kubectl.RunAsync("scale", "sts", "vantiq", "--replicas=0", "-n", ns, "--dry-run=server")).EnsureSuccess();
        (await Kubectl.RunWithInputAsync(SecretYaml(ns, "dry"), "apply", "-f", "-", "--dry-run=server")).EnsureSuccess();
        (await Kubectl.RunAsync("delete", "sts", "vantiq", "-n", ns, "--dry-run=server")).EnsureSuccess();

        var sts = await Client.AppsV1.ReadNamespacedStatefulSetAsync("vantiq", ns);
        Assert.Multiple(() =>
        {
            Assert.That(sts.Spec.Replicas, Is.EqualTo(3));
            Assert.That(Client.CoreV1.ListNamespacedSecret(ns).Items, Is.Empty);
            Assert.That(Cluster.Store.CurrentVersion, Is.EqualTo(before));
        });
    }

    [Test]
    public async Task Describe_pod_shows_its_events()
    {
        var ns = await NewNamespaceAsync();
        var pod = await Client.CoreV1.CreateNamespacedPodAsync(TestObjects.Pod("vantiq-0"), ns);
        await Client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new() { GenerateName = "vantiq-0." },
            InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "vantiq-0", NamespaceProperty = ns, Uid = pod.Metadata.Uid, ApiVersion = "v1" },
            Reason = "Pulled",
            Message = "Container image already present on machine",
            Type = "Normal",
            Count = 1,
            FirstTimestamp = DateTime.UtcNow,
            LastTimestamp = DateTime.UtcNow,
            Source = new V1EventSource { Component = "kubelet" },
        }, ns);

        var result = (await Kubectl.RunAsync("describe", "pod", "vantiq-0", "-n", ns)).EnsureSuccess();

        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Does.Contain("Name:").And.Contain("vantiq-0"));
            Assert.That(result.Stdout, Does.Contain("Container image already present on machine"));
        });
    }

    [Test]
    public async Task Delete_namespace_removes_everything_in_it()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(TestObjects.ServerStatefulSet("vantiq", 3), ns);

        (await Kubectl.RunAsync("delete", "namespace", ns, "--timeout=20s")).EnsureSuccess();

        Assert.Multiple(() =>
        {
            Assert.That(Client.CoreV1.ListNamespace().Items.Select(n => n.Metadata.Name), Does.Not.Contain(ns));
            Assert.That(Cluster.Store.List(KubeRunbooks.Simulator.Store.ResourceCatalog.StatefulSets, ns).Items, Is.Empty);
        });
    }

    [Test]
    public async Task Logs_without_a_runtime_fail_in_one_clear_line()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedPodAsync(TestObjects.Pod("p"), ns);

        var result = await Kubectl.RunAsync("logs", "p", "-n", ns);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Not.Zero);
            Assert.That(result.Stderr, Does.Contain("without a container runtime"));
        });
    }

    [Test]
    public async Task Scale_stateful_set_changes_spec_replicas()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(TestObjects.ServerStatefulSet("vantiq", 3), ns);

        var result = (await Kubectl.RunAsync("scale", "sts", "vantiq", "--replicas=0", "-n", ns)).EnsureSuccess();

        var sts = await Client.AppsV1.ReadNamespacedStatefulSetAsync("vantiq", ns);
        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Does.Contain("statefulset.apps/vantiq scaled"));
            Assert.That(sts.Spec.Replicas, Is.Zero);
        });
    }

    [Test]
    public async Task Replace_of_a_stale_object_is_a_conflict()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(TestObjects.ServerStatefulSet("vantiq", 3), ns);
        var stale = (await Kubectl.RunAsync("get", "sts", "vantiq", "-n", ns, "-o", "json")).EnsureSuccess().Stdout;
        await Client.AppsV1.PatchNamespacedStatefulSetScaleAsync(new V1Patch("{\"spec\":{\"replicas\":2}}", V1Patch.PatchType.MergePatch), "vantiq", ns);

        var result = await Kubectl.RunWithInputAsync(stale.Replace("\"replicas\": 3", "\"replicas\": 1"), "replace", "-f", "-");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Not.Zero);
            Assert.That(result.Stderr, Does.Contain("Operation cannot be fulfilled on statefulsets.apps \"vantiq\": the object has been modified"));
        });
        var sts = await Client.AppsV1.ReadNamespacedStatefulSetAsync("vantiq", ns);
        Assert.That(sts.Spec.Replicas, Is.EqualTo(2));
    }

    [Test]
    public async Task Apply_client_side_creates_then_patches_a_secret()
    {
        var ns = await NewNamespaceAsync();
        var first = SecretYaml(ns, "first-value");
        var second = SecretYaml(ns, "second-value");

        var created = (await Kubectl.RunWithInputAsync(first, "apply", "-f", "-")).EnsureSuccess();
        var configured = (await Kubectl.RunWithInputAsync(second, "apply", "-f", "-")).EnsureSuccess();

        var secret = await Client.CoreV1.ReadNamespacedSecretAsync("vantiq-license", ns);
        Assert.Multiple(() =>
        {
            Assert.That(created.Stdout, Does.Contain("secret/vantiq-license created"));
            Assert.That(configured.Stdout, Does.Contain("secret/vantiq-license configured"));
            Assert.That(configured.Stderr, Does.Not.Contain("warning"));
            Assert.That(Encoding.UTF8.GetString(secret.Data["license.key"]), Is.EqualTo("second-value"));
            Assert.That(secret.Metadata.Annotations, Does.ContainKey("kubectl.kubernetes.io/last-applied-configuration"));
        });
    }

    [Test]
    public async Task Apply_server_side_creates_when_missing_and_turns_string_data_into_data()
    {
        var ns = await NewNamespaceAsync();

        var result = (await Kubectl.RunWithInputAsync(SecretYaml(ns, "ssa-value"), "apply", "--server-side", "-f", "-")).EnsureSuccess();
        var again = (await Kubectl.RunWithInputAsync(SecretYaml(ns, "ssa-value-2"), "apply", "--server-side", "-f", "-")).EnsureSuccess();

        var secret = await Client.CoreV1.ReadNamespacedSecretAsync("vantiq-license", ns);
        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Does.Contain("secret/vantiq-license serverside-applied"));
            Assert.That(again.Stdout, Does.Contain("secret/vantiq-license serverside-applied"));
            Assert.That(Encoding.UTF8.GetString(secret.Data["license.key"]), Is.EqualTo("ssa-value-2"));
            Assert.That(secret.StringData, Is.Null);
        });
    }

    [Test]
    public async Task Apply_of_an_unknown_field_is_rejected_by_strict_server_validation()
    {
        var ns = await NewNamespaceAsync();
        var yaml = $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\n  namespace: {ns}\ndata:\n  a: b\ndatta:\n  c: d\n";

        var result = await Kubectl.RunWithInputAsync(yaml, "apply", "-f", "-");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Not.Zero);
            Assert.That(result.Stderr, Does.Contain("unknown field \"datta\""));
        });
        Assert.That(Client.CoreV1.ListNamespacedConfigMap(ns).Items, Is.Empty);
    }

    [Test]
    public async Task Create_with_generate_name_gets_a_generated_name()
    {
        var ns = await NewNamespaceAsync();
        var yaml = $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: backup-\n  namespace: {ns}\ndata:\n  a: b\n";

        var result = (await Kubectl.RunWithInputAsync(yaml, "create", "-f", "-", "-o", "name")).EnsureSuccess();

        Assert.That(result.Stdout.Trim(), Does.Match("^configmap/backup-[a-z0-9]{5}$"));
    }

    [Test]
    public async Task Delete_removes_the_object()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedPodAsync(TestObjects.Pod("doomed"), ns);

        var result = (await Kubectl.RunAsync("delete", "pod", "doomed", "-n", ns)).EnsureSuccess();

        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Does.Contain("pod \"doomed\" deleted"));
            Assert.That(Client.CoreV1.ListNamespacedPod(ns).Items, Is.Empty);
        });
    }

    [Test]
    public async Task Job_from_cron_job_through_dry_run_pipe_is_created_with_its_owner()
    {
        var ns = await NewNamespaceAsync();
        var cronJob = await Client.BatchV1.CreateNamespacedCronJobAsync(TestObjects.MongoBackupCronJob(), ns);

        var built = (await Kubectl.RunAsync("create", "job", "backup-manual", "--from=cronjob/mongobackup", "-n", ns, "--dry-run=client", "-o", "json")).EnsureSuccess();
        var created = (await Kubectl.RunWithInputAsync(built.Stdout, "create", "-f", "-", "-n", ns)).EnsureSuccess();

        var job = await Client.BatchV1.ReadNamespacedJobAsync("backup-manual", ns);
        Assert.Multiple(() =>
        {
            Assert.That(created.Stdout, Does.Contain("job.batch/backup-manual created"));
            Assert.That(job.Metadata.Annotations["cronjob.kubernetes.io/instantiate"], Is.EqualTo("manual"));
            Assert.That(job.Metadata.OwnerReferences.Single().Uid, Is.EqualTo(cronJob.Metadata.Uid));
            Assert.That(job.Spec.BackoffLimit, Is.EqualTo(1));
            Assert.That(job.Spec.Template.Spec.Containers.Single().Image, Is.EqualTo("vantiq/mongobackup:1.0"));
        });
    }

    [Test]
    public async Task Plain_create_job_from_cron_job_is_decoded_from_protobuf()
    {
        var ns = await NewNamespaceAsync();
        var cronJob = TestObjects.MongoBackupCronJob();
        var pod = cronJob.Spec.JobTemplate.Spec.Template.Spec;
        pod.Containers[0].Args = ["--archive", "/backup/dump.gz"];
        pod.Containers[0].Env =
        [
            new V1EnvVar { Name = "MONGO_HOST", Value = "mongodb" },
            new V1EnvVar { Name = "MONGO_PASSWORD", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "mongo-secret", Key = "password" } } },
        ];
        pod.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "backup", MountPath = "/backup" }, new V1VolumeMount { Name = "scratch", MountPath = "/tmp" }];
        pod.Containers[0].Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("512Mi") } };
        pod.Volumes =
        [
            new V1Volume { Name = "backup", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "mongobackup" } },
            new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource() },
        ];
        var created = await Client.BatchV1.CreateNamespacedCronJobAsync(cronJob, ns);

        var result = await Kubectl.RunAsync("create", "job", "-n", ns, "mongobackup-manual", "--from=CronJob/mongobackup", "-v=8");

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(result.Stderr, Does.Contain("Content-Type: application/vnd.kubernetes.protobuf"), "kubectl sent the Job as protobuf");
        var job = await Client.BatchV1.ReadNamespacedJobAsync("mongobackup-manual", ns);
        var container = job.Spec.Template.Spec.Containers.Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Does.Contain("job.batch/mongobackup-manual created"));
            Assert.That(job.Metadata.Annotations["cronjob.kubernetes.io/instantiate"], Is.EqualTo("manual"));
            Assert.That(job.Metadata.Labels["app"], Is.EqualTo("mongobackup"));
            Assert.That(job.Metadata.OwnerReferences.Single().Uid, Is.EqualTo(created.Metadata.Uid));
            Assert.That(job.Metadata.OwnerReferences.Single().Controller, Is.True);
            Assert.That(job.Spec.BackoffLimit, Is.EqualTo(1));
            Assert.That(job.Spec.Template.Spec.RestartPolicy, Is.EqualTo("Never"));
            Assert.That(container.Image, Is.EqualTo("vantiq/mongobackup:1.0"));
            Assert.That(container.Command, Is.EqualTo(new[] { "/bin/backup" }));
            Assert.That(container.Args, Is.EqualTo(new[] { "--archive", "/backup/dump.gz" }));
            Assert.That(container.Env[1].ValueFrom.SecretKeyRef.Name, Is.EqualTo("mongo-secret"));
            Assert.That(container.Env[1].ValueFrom.SecretKeyRef.Key, Is.EqualTo("password"));
            Assert.That(container.Resources.Limits["memory"].ToString(), Is.EqualTo("512Mi"));
            Assert.That(container.VolumeMounts.Select(m => m.MountPath), Is.EqualTo(new[] { "/backup", "/tmp" }));
            Assert.That(job.Spec.Template.Spec.Volumes[0].PersistentVolumeClaim.ClaimName, Is.EqualTo("mongobackup"));
            Assert.That(job.Spec.Template.Spec.Volumes[1].EmptyDir, Is.Not.Null);
        });
    }

    [Test]
    public async Task Set_image_and_rollout_restart_patch_the_template_and_bump_generation()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(TestObjects.ServerStatefulSet("vantiq", 3), ns);

        (await Kubectl.RunAsync("set", "image", "sts/vantiq", "vantiq=vantiq/vantiq-server:1.31.0", "-n", ns)).EnsureSuccess();
        (await Kubectl.RunAsync("rollout", "restart", "sts/vantiq", "-n", ns)).EnsureSuccess();

        var sts = await Client.AppsV1.ReadNamespacedStatefulSetAsync("vantiq", ns);
        var container = sts.Spec.Template.Spec.Containers.Single();
        Assert.Multiple(() =>
        {
            Assert.That(container.Image, Is.EqualTo("vantiq/vantiq-server:1.31.0"));
            Assert.That(container.Env.Select(e => e.Name), Is.EqualTo(new[] { "MODE", "LEVEL" }));
            Assert.That(sts.Spec.Template.Spec.InitContainers.Single().Name, Is.EqualTo("load-model"));
            Assert.That(sts.Spec.Template.Metadata.Annotations, Does.ContainKey("kubectl.kubernetes.io/restartedAt"));
            Assert.That(sts.Metadata.Generation, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Rollout_status_watches_until_the_status_says_done()
    {
        var ns = await NewNamespaceAsync();
        var sts = await Client.AppsV1.CreateNamespacedStatefulSetAsync(TestObjects.ServerStatefulSet("vantiq", 2), ns);
        var waiting = Kubectl.RunAsync("rollout", "status", "sts/vantiq", "-n", ns, "--timeout=30s");
        sts.Status = new V1StatefulSetStatus
        {
            ObservedGeneration = 1, Replicas = 2, ReadyReplicas = 2, UpdatedReplicas = 2, CurrentReplicas = 2,
            CurrentRevision = "vantiq-1", UpdateRevision = "vantiq-1", AvailableReplicas = 2,
        };

        // The status a controller would write; rollout status sees it through its watch.
        await Client.AppsV1.ReplaceNamespacedStatefulSetStatusAsync(sts, "vantiq", ns);
        var result = (await waiting).EnsureSuccess();

        Assert.That(result.Stdout, Does.Contain("partitioned roll out complete").Or.Contain("rolling update complete"));
    }

    [Test]
    public async Task Rollout_status_times_out_while_replicas_are_not_ready()
    {
        var ns = await NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(TestObjects.ServerStatefulSet("vantiq", 2), ns);

        var result = await Kubectl.RunAsync("rollout", "status", "sts/vantiq", "-n", ns, "--timeout=2s");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Not.Zero);
            Assert.That(result.Stderr, Does.Contain("timed out"));
        });
    }

    [Test]
    public async Task Wait_for_job_complete_sees_the_condition()
    {
        var ns = await NewNamespaceAsync();
        await Client.BatchV1.CreateNamespacedJobAsync(new V1Job { Metadata = new() { Name = "backup" }, Spec = TestObjects.MongoBackupCronJob().Spec.JobTemplate.Spec }, ns);
        var waiting = Kubectl.RunAsync("wait", "--for=condition=complete", "job/backup", "-n", ns, "--timeout=30s");
        var patch = "{\"status\":{\"succeeded\":1,\"conditions\":[{\"type\":\"Complete\",\"status\":\"True\"}]}}";

        await Client.BatchV1.PatchNamespacedJobStatusAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), "backup", ns);
        var result = (await waiting).EnsureSuccess();

        Assert.That(result.Stdout, Does.Contain("job.batch/backup condition met"));
    }

    [TestCase("merge", "{\"data\":{\"b\":\"2\"}}")]
    [TestCase("strategic", "{\"data\":{\"b\":\"2\"}}")]
    [TestCase("json", "[{\"op\":\"add\",\"path\":\"/data/b\",\"value\":\"2\"}]")]
    public async Task A_patch_of_each_type_changes_the_object(string type, string patch)
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "settings" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, ns);

        (await Kubectl.RunAsync("patch", "configmap", "settings", "-n", ns, "--type", type, "-p", patch)).EnsureSuccess();

        var map = await Client.CoreV1.ReadNamespacedConfigMapAsync("settings", ns);
        Assert.That(map.Data, Is.EqualTo(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }));
    }

    [Test]
    public async Task A_json_patch_on_a_missing_path_fails()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "settings" } }, ns);

        var result = await Kubectl.RunAsync("patch", "configmap", "settings", "-n", ns, "--type", "json", "-p", "[{\"op\":\"replace\",\"path\":\"/data/x\",\"value\":\"1\"}]");

        Assert.That(result.ExitCode, Is.Not.Zero);
    }

    [Test]
    public async Task Without_the_token_kubectl_is_refused()
    {
        var kubeconfig = Path.Combine(Root, "no-token-kubeconfig");
        var text = await File.ReadAllTextAsync(Cluster.KubeconfigPath);
        await File.WriteAllTextAsync(kubeconfig, text.Replace(Cluster.Token, "wrong-token"));
        var kubectl = new Kubectl(kubeconfig, Path.Combine(Root, "cache-no-token"));

        var result = await kubectl.RunAsync("get", "pods");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Not.Zero);
            Assert.That(result.Stderr, Does.Contain("provide credentials"));
        });
    }

    private static string SecretYaml(string ns, string value) =>
        $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: vantiq-license\n  namespace: {ns}\ntype: Opaque\nstringData:\n  license.key: {value}\n";
}

using System.Text.Json.Nodes;
using k8s;
using KubeRunbooks.Tests.Simulator.Api;
using KubeRunbooks.Tests.Simulator.Controllers;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Conformance;

/// <summary>
/// The kubectl conformance suite of issue 3 item 8, against a simulated cluster seeded with the
/// vantiq scenario (controllers and process runtime wired, readiness delay 0).
/// </summary>
public sealed class KubectlConformanceTests : ScenarioClusterFixture
{
    [OneTimeSetUp]
    public void RequireKubectl() => KubeRunbooks.Tests.Simulator.Api.Kubectl.RequireInstalled();

    [SetUp]
    public Task WaitForTheScenarioAsync() => Eventually.UntilAsync(async () =>
        (await PodsAsync("vantiq", "app=vantiq")).Count(IsReady) == 3 &&
        (await PodsAsync("vantiq", "app=vision-analytics")).Count(IsReady) == 2, "the vantiq scenario is ready");

    [Test]
    public async Task Get_o_json_lists_the_statefulset_pods_with_their_status()
    {
        var json = (await Kubectl.RunAsync("get", "pods", "-n", "vantiq", "-l", "app=vantiq", "-o", "json")).EnsureSuccess().Stdout;
        var items = JsonNode.Parse(json)!["items"]!.AsArray();
        Assert.That(items.Select(i => (string?)i!["metadata"]!["name"]), Is.EqualTo(new[] { "vantiq-0", "vantiq-1", "vantiq-2" }));
        Assert.That(items.Select(i => (string?)i!["status"]!["phase"]), Is.All.EqualTo("Running"));
        Assert.That(items.Select(i => (string?)i!["spec"]!["initContainers"]![0]!["name"]), Is.All.EqualTo("load-model"));
        Assert.That(items.Select(i => (int?)i!["status"]!["initContainerStatuses"]![0]!["state"]!["terminated"]!["exitCode"]), Is.All.EqualTo(0));
    }

    [Test]
    public async Task Scale_sts_adds_and_removes_pods()
    {
        (await Kubectl.RunAsync("scale", "sts", "vision-analytics", "-n", "vantiq", "--replicas=3")).EnsureSuccess();
        await Eventually.UntilAsync(async () => (await PodsAsync("vantiq", "app=vision-analytics")).Count(IsReady) == 3, "vision-analytics-2 is ready");

        (await Kubectl.RunAsync("scale", "sts", "vision-analytics", "-n", "vantiq", "--replicas=1")).EnsureSuccess();
        await Eventually.UntilAsync(async () => (await PodsAsync("vantiq", "app=vision-analytics")).Count == 1, "vision-analytics is down to one pod");
        Assert.That((await PodsAsync("vantiq", "app=vision-analytics")).Single().Metadata.Name, Is.EqualTo("vision-analytics-0"));

        (await Kubectl.RunAsync("scale", "sts", "vision-analytics", "-n", "vantiq", "--replicas=2")).EnsureSuccess();
        (await Kubectl.RunAsync("rollout", "status", "sts/vision-analytics", "-n", "vantiq", "--timeout=60s")).EnsureSuccess();
    }

    [Test]
    public async Task Create_job_from_the_cronjob_then_wait_complete_and_read_its_log()
    {
        var dryRun = (await Kubectl.RunAsync("create", "job", "backup-conf", "--from=cronjob/mongobackup", "-n", "vantiq", "--dry-run=client", "-o", "json")).EnsureSuccess().Stdout;
        (await Kubectl.RunWithInputAsync(dryRun, "create", "-f", "-")).EnsureSuccess();
        (await Kubectl.RunAsync("wait", "--for=condition=complete", "job/backup-conf", "-n", "vantiq", "--timeout=60s")).EnsureSuccess();

        var job = await Client.BatchV1.ReadNamespacedJobAsync("backup-conf", "vantiq");
        Assert.That(job.Metadata.Annotations["cronjob.kubernetes.io/instantiate"], Is.EqualTo("manual"));
        Assert.That(job.Metadata.OwnerReferences.Single().Kind, Is.EqualTo("CronJob"));
        var pod = (await PodsAsync("vantiq", "job-name=backup-conf")).Single();
        var log = (await Kubectl.RunAsync("logs", pod.Metadata.Name, "-n", "vantiq")).EnsureSuccess().Stdout;
        Assert.That(log, Does.Match(@"mongobackup: wrote backup-conf\.archive\.gz \(\d+ bytes\) to the backup volume"), "the archive is named after the Job (its backup id)");
        Assert.That(File.Exists(Path.Combine(World.ClaimFolder("vantiq", "mongobackup"), "backup-conf.archive.gz")), Is.True, "the archive is in the PVC's folder");
    }

    [Test]
    public async Task Wait_for_complete_fails_for_a_job_that_failed()
    {
        var ns = await NewNamespaceAsync();
        (await Kubectl.RunWithInputAsync(JobYaml("fails", "exit 4"), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        (await Kubectl.RunAsync("wait", "--for=condition=failed", "job/fails", "-n", ns, "--timeout=60s")).EnsureSuccess();

        var wait = await Kubectl.RunAsync("wait", "--for=condition=complete", "job/fails", "-n", ns, "--timeout=2s");
        Assert.That(wait.ExitCode, Is.Not.Zero);
    }

    [Test]
    public async Task Logs_f_follows_a_container_to_its_end()
    {
        var ns = await NewNamespaceAsync();
        (await Kubectl.RunWithInputAsync(JobYaml("counter", "for i in 1 2 3; do echo line $i; sleep 0.2; done"), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        await Eventually.UntilAsync(async () => (await PodsAsync(ns, "job-name=counter")).SingleOrDefault()?.Status?.ContainerStatuses?[0].State.Waiting == null, "the counter started");
        var pod = (await PodsAsync(ns, "job-name=counter")).Single().Metadata.Name;

        var follow = (await Kubectl.RunAsync("logs", "-f", pod, "-n", ns)).EnsureSuccess().Stdout;

        Assert.That(follow, Is.EqualTo("line 1\nline 2\nline 3\n"));
    }

    [Test]
    public async Task Exec_i_pipes_stdin_and_propagates_a_non_zero_exit_code()
    {
        var exec = await Kubectl.RunWithInputAsync("hello from stdin\n", "exec", "-i", "vantiq-1", "-n", "vantiq", "-c", "vantiq", "--", "sh", "-c", "cat; echo \"tag=$SIM_IMAGE_TAG\"; exit 7");

        Assert.That(exec.ExitCode, Is.EqualTo(7));
        Assert.That(exec.Stdout, Is.EqualTo("hello from stdin\ntag=1.30.10\n"));
        var ok = (await Kubectl.RunWithInputAsync("x", "exec", "-i", "vantiq-1", "-n", "vantiq", "--", "sh", "-c", "wc -c")).EnsureSuccess();
        Assert.That(ok.Stdout.Trim(), Is.EqualTo("1"));
    }

    [Test]
    public async Task Exec_it_gives_the_command_a_terminal_and_its_exit_code()
    {
        // kubectl asks for a tty only when its own stdin is a terminal: run it under script(1) too.
        var kubectl = $"{KubeRunbooks.Tests.Simulator.Api.Kubectl.Path} --kubeconfig={Cluster.KubeconfigPath} --cache-dir={Path.Combine(Root, "kubectl-cache")} " +
            "exec -it vantiq-1 -n vantiq -c vantiq -- sh -c 'tty; test -t 1 && echo stdout-is-a-terminal; exit 3'";
        var info = new System.Diagnostics.ProcessStartInfo("script") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-q", "-e", "-c", kubectl, "/dev/null" }) info.ArgumentList.Add(arg);
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;

        var plain = await Kubectl.RunAsync("exec", "vantiq-1", "-n", "vantiq", "-c", "vantiq", "--", "sh", "-c", "tty");
        Assert.Multiple(() =>
        {
            Assert.That(process.ExitCode, Is.EqualTo(3), output);
            Assert.That(output, Does.Match(@"/dev/pts/\d+\r\n"));
            Assert.That(output, Does.Contain("stdout-is-a-terminal\r\n"));
            Assert.That(plain.ExitCode, Is.EqualTo(1), "without -t there is no terminal");
            Assert.That(plain.Stdout, Is.EqualTo("not a tty\n"));
        });
    }

    [Test]
    public async Task Attach_streams_what_the_container_prints_from_now_on()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedPodAsync(new k8s.Models.V1Pod
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "ticker" },
            Spec = new k8s.Models.V1PodSpec
            {
                Containers = [new k8s.Models.V1Container { Name = "main", Image = "busybox:1.36", Command = ["sh", "-c", "i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.3; done"] }],
            },
        }, ns);
        await Eventually.UntilAsync(async () => IsReady(await Client.CoreV1.ReadNamespacedPodAsync("ticker", ns)), "the ticker runs");
        await Eventually.UntilAsync(async () => (await Kubectl.RunAsync("logs", "ticker", "-n", ns)).Stdout.Contains("tick 3"), "the ticker has ticked");

        var info = new System.Diagnostics.ProcessStartInfo(KubeRunbooks.Tests.Simulator.Api.Kubectl.Path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { $"--kubeconfig={Cluster.KubeconfigPath}", $"--cache-dir={Path.Combine(Root, "kubectl-cache")}", "attach", "ticker", "-n", ns }) info.ArgumentList.Add(arg);
        using var attach = System.Diagnostics.Process.Start(info)!;
        var lines = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (lines.Count < 3 && await attach.StandardOutput.ReadLineAsync(timeout.Token) is { } line) lines.Add(line);
        }
        finally
        {
            attach.Kill();
        }

        Assert.That(lines, Has.Count.EqualTo(3), await attach.StandardError.ReadToEndAsync());
        var numbers = lines.Select(l => int.Parse(l["tick ".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(lines, Is.All.Match(@"^tick \d+$"));
            Assert.That(numbers[0], Is.GreaterThan(3), "attach does not replay what was printed before");
            Assert.That(numbers, Is.EqualTo(new[] { numbers[0], numbers[0] + 1, numbers[0] + 2 }), "every line, in order");
        });
    }

    [Test]
    public async Task Set_image_then_rollout_status_rolls_every_pod_to_the_new_revision()
    {
        var before = await Client.AppsV1.ReadNamespacedStatefulSetAsync("vantiq", "vantiq");
        (await Kubectl.RunAsync("set", "image", "sts/vantiq", "-n", "vantiq", "vantiq=quay.io/vantiq/vantiq-server:1.30.11", "load-model=quay.io/vantiq/vantiq-server:1.30.11")).EnsureSuccess();
        var status = (await Kubectl.RunAsync("rollout", "status", "sts/vantiq", "-n", "vantiq", "--timeout=90s")).EnsureSuccess().Stdout;

        var after = await Client.AppsV1.ReadNamespacedStatefulSetAsync("vantiq", "vantiq");
        Assert.That(status, Does.Contain("partitioned roll out complete").Or.Contain("rolling update complete"));
        Assert.That(after.Status.UpdateRevision, Is.Not.EqualTo(before.Status.UpdateRevision));
        Assert.That(after.Status.CurrentRevision, Is.EqualTo(after.Status.UpdateRevision));
        var pods = await PodsAsync("vantiq", "app=vantiq");
        Assert.That(pods.Select(p => p.Spec.Containers[0].Image), Is.All.EqualTo("quay.io/vantiq/vantiq-server:1.30.11"));
        var log = (await Kubectl.RunAsync("logs", "vantiq-2", "-n", "vantiq", "-c", "load-model")).EnsureSuccess().Stdout;
        Assert.That(log, Does.Contain("model is up to date at version 1.30.11"));
    }

    [Test]
    public async Task Rollout_restart_replaces_the_pods_and_rollout_status_waits_for_them()
    {
        var before = (await PodsAsync("vantiq", "app=metrics-collector")).Single();
        (await Kubectl.RunAsync("rollout", "restart", "sts/metrics-collector", "-n", "vantiq")).EnsureSuccess();
        (await Kubectl.RunAsync("rollout", "status", "sts/metrics-collector", "-n", "vantiq", "--timeout=60s")).EnsureSuccess();

        var after = (await PodsAsync("vantiq", "app=metrics-collector")).Single();
        Assert.That(after.Metadata.Uid, Is.Not.EqualTo(before.Metadata.Uid));
        Assert.That(after.Metadata.Annotations, Does.ContainKey("kubectl.kubernetes.io/restartedAt"));
        Assert.That(IsReady(after), Is.True);
    }

    [Test]
    public async Task Rollout_status_times_out_while_a_pod_never_becomes_ready()
    {
        var ns = await NewNamespaceAsync();
        Cluster.Faults.NeverReadyPods.Add("^hung-0$");
        (await Kubectl.RunWithInputAsync(StatefulSetYaml("hung", 1), "apply", "-n", ns, "-f", "-")).EnsureSuccess();

        var status = await Kubectl.RunAsync("rollout", "status", "sts/hung", "-n", ns, "--timeout=2s");

        Assert.That(status.ExitCode, Is.Not.Zero);
        Assert.That(status.Stdout + status.Stderr, Does.Contain("Waiting for 1 pods to be ready"));
    }

    [Test]
    public async Task Apply_a_secret_client_side_and_server_side()
    {
        var ns = await NewNamespaceAsync();
        var secret = $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-cred\n  namespace: {ns}\ntype: Opaque\nstringData:\n  password: first-value\n";
        var created = (await Kubectl.RunWithInputAsync(secret, "apply", "-f", "-")).EnsureSuccess().Stdout;
        Assert.That(created, Does.Contain("secret/app-cred created"));

        var updated = (await Kubectl.RunWithInputAsync(secret.Replace("first-value", "second-value"), "apply", "--server-side", "-f", "-")).EnsureSuccess().Stdout;
        Assert.That(updated, Does.Contain("secret/app-cred serverside-applied"));

        var read = await Client.CoreV1.ReadNamespacedSecretAsync("app-cred", ns);
        Assert.That(System.Text.Encoding.UTF8.GetString(read.Data["password"]), Is.EqualTo("second-value"));
        Assert.That(await File.ReadAllTextAsync(Cluster.AuditLogPath), Does.Not.Contain("second-value").And.Not.Contain("first-value"));
    }

    [Test]
    public async Task A_deleted_statefulset_pod_is_recreated_under_the_same_name()
    {
        var before = await Client.CoreV1.ReadNamespacedPodAsync("vision-analytics-0", "vantiq");
        (await Kubectl.RunAsync("delete", "pod", "vision-analytics-0", "-n", "vantiq")).EnsureSuccess();

        await Eventually.UntilAsync(async () =>
        {
            var pods = await PodsAsync("vantiq", "app=vision-analytics");
            return pods.Any(p => p.Metadata.Name == "vision-analytics-0" && p.Metadata.Uid != before.Metadata.Uid && IsReady(p));
        }, "vision-analytics-0 is back");
    }

    [Test]
    public async Task Deleting_a_missing_pod_is_one_clear_error()
    {
        var delete = await Kubectl.RunAsync("delete", "pod", "no-such-pod", "-n", "vantiq");
        Assert.That(delete.ExitCode, Is.Not.Zero);
        Assert.That(delete.Stderr.Trim(), Is.EqualTo("Error from server (NotFound): pods \"no-such-pod\" not found"));
    }

    private static string JobYaml(string name, string script) =>
        $"apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {name}\nspec:\n  backoffLimit: 0\n  template:\n    spec:\n      restartPolicy: Never\n" +
        $"      containers:\n      - name: main\n        image: busybox:1.36\n        command: [\"sh\", \"-c\", {System.Text.Json.JsonSerializer.Serialize(script)}]\n";

    private static string StatefulSetYaml(string name, int replicas) =>
        $"apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: {name}\nspec:\n  replicas: {replicas}\n  serviceName: {name}\n" +
        $"  selector:\n    matchLabels: {{app: {name}}}\n  template:\n    metadata:\n      labels: {{app: {name}}}\n    spec:\n      containers:\n      - name: app\n        image: example/app:1\n";
}

using System.Text.Json.Nodes;
using k8s;
using KubeRunbooks.Tests.Simulator.Controllers;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Conformance;

/// <summary>
/// Seed 002's manual minor upgrade, driven step by step with kubectl against the vantiq scenario:
/// scale to 0, backup Job from the mongobackup CronJob, new image, scale to 1, read the
/// load-model log, scale back to 3 / 1 / 2. Checks pods, revisions, logs and the audit log.
/// </summary>
public sealed class MinorUpgradeProcedureTests : ScenarioClusterFixture
{
    private const string Ns = "vantiq";
    private const string NewImage = "quay.io/vantiq/vantiq-server:1.31.2";

    [OneTimeSetUp]
    public void RequireKubectl() => KubeRunbooks.Tests.Simulator.Api.Kubectl.RequireInstalled();

    [Test]
    public async Task The_seed_procedure_upgrades_vantiq_with_the_pods_revisions_logs_and_audit_lines_of_a_real_cluster()
    {
        await Eventually.UntilAsync(async () => (await PodsAsync(Ns, "app=vantiq")).Count(IsReady) == 3, "the scenario is ready");
        var oldRevision = (await Client.AppsV1.ReadNamespacedStatefulSetAsync("vantiq", Ns)).Status.UpdateRevision;
        var oldLog = (await Kubectl.RunAsync("logs", "vantiq-0", "-n", Ns, "-c", "load-model")).EnsureSuccess().Stdout;
        Assert.That(oldLog, Does.Contain("1.30.10"));

        // 1. Everything to 0.
        foreach (var sts in new[] { "vantiq", "metrics-collector", "vision-analytics" })
        {
            (await Kubectl.RunAsync("scale", "sts", "-n", Ns, sts, "--replicas=0")).EnsureSuccess();
        }
        await Eventually.UntilAsync(async () => (await Client.CoreV1.ListNamespacedPodAsync(Ns)).Items.Count == 0, "every pod is gone");

        // 2. Backup job from the CronJob (the JSON form: kubectl's own create job posts protobuf).
        var job = (await Kubectl.RunAsync("create", "job", "-n", Ns, "mongobackup-before-upgrade", "--from=CronJob/mongobackup", "--dry-run=client", "-o", "json")).EnsureSuccess().Stdout;
        (await Kubectl.RunWithInputAsync(job, "create", "-f", "-")).EnsureSuccess();
        (await Kubectl.RunAsync("wait", "-n", Ns, "--for=condition=complete", "job/mongobackup-before-upgrade", "--timeout=60s")).EnsureSuccess();
        var backupPod = (await PodsAsync(Ns, "job-name=mongobackup-before-upgrade")).Single().Metadata.Name;
        var backupLog = (await Kubectl.RunAsync("logs", "-n", Ns, backupPod)).EnsureSuccess().Stdout;
        Assert.That(backupLog, Does.Contain("mongobackup: wrote mongobackup-before-upgrade.archive.gz"));

        // 3. The new image (deployVantiq), then the scale is forced back to 1 / 0 / 0.
        (await Kubectl.RunAsync("set", "image", "sts/vantiq", "-n", Ns, $"vantiq={NewImage}", $"load-model={NewImage}")).EnsureSuccess();
        (await Kubectl.RunAsync("scale", "sts", "-n", Ns, "vantiq", "--replicas=1")).EnsureSuccess();
        (await Kubectl.RunAsync("rollout", "status", "sts/vantiq", "-n", Ns, "--timeout=60s")).EnsureSuccess();
        Assert.That((await Client.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: "app in (vantiq,metrics-collector,vision-analytics)")).Items.Select(p => p.Metadata.Name),
            Is.EqualTo(new[] { "vantiq-0" }));

        // 4. The schema migration log of the new version.
        var migration = (await Kubectl.RunAsync("logs", "-n", Ns, "vantiq-0", "-c", "load-model", "-f")).EnsureSuccess().Stdout;
        Assert.That(migration, Does.Contain("load-model: model is up to date at version 1.31.2"));
        Assert.That(migration, Does.Not.Contain("1.30.10"));

        // 5. Back to 3 / 1 / 2.
        (await Kubectl.RunAsync("scale", "sts", "-n", Ns, "vantiq", "--replicas=3")).EnsureSuccess();
        (await Kubectl.RunAsync("scale", "sts", "-n", Ns, "metrics-collector", "--replicas=1")).EnsureSuccess();
        (await Kubectl.RunAsync("scale", "sts", "-n", Ns, "vision-analytics", "--replicas=2")).EnsureSuccess();
        foreach (var sts in new[] { "vantiq", "metrics-collector", "vision-analytics" })
        {
            (await Kubectl.RunAsync("rollout", "status", $"sts/{sts}", "-n", Ns, "--timeout=60s")).EnsureSuccess();
        }

        var vantiq = await Client.AppsV1.ReadNamespacedStatefulSetAsync("vantiq", Ns);
        Assert.That(vantiq.Status.UpdateRevision, Is.Not.EqualTo(oldRevision));
        Assert.That(vantiq.Status.CurrentRevision, Is.EqualTo(vantiq.Status.UpdateRevision));
        Assert.That(vantiq.Status.ReadyReplicas, Is.EqualTo(3));
        Assert.That(vantiq.Status.ObservedGeneration, Is.EqualTo(vantiq.Metadata.Generation));
        var pods = await PodsAsync(Ns, "app=vantiq");
        Assert.That(pods.Select(p => p.Metadata.Name), Is.EqualTo(new[] { "vantiq-0", "vantiq-1", "vantiq-2" }));
        Assert.That(pods.Select(p => p.Spec.Containers[0].Image), Is.All.EqualTo(NewImage));
        Assert.That(pods.Select(p => p.Metadata.Labels["controller-revision-hash"]), Is.All.EqualTo(vantiq.Status.UpdateRevision));
        Assert.That((await PodsAsync(Ns, "app=metrics-collector")).Count(IsReady), Is.EqualTo(1));
        Assert.That((await PodsAsync(Ns, "app=vision-analytics")).Count(IsReady), Is.EqualTo(2));

        var audit = (await File.ReadAllLinesAsync(Cluster.AuditLogPath)).Select(l => JsonNode.Parse(l)!).ToList();
        var scales = audit
            .Where(e => (string?)e["verb"] == "patch" && (string?)e["objectRef"]!["subresource"] == "scale" && (string?)e["objectRef"]!["namespace"] == Ns)
            .Select(e => $"{(string?)e["objectRef"]!["name"]}={(int?)e["requestObject"]?["spec"]?["replicas"]}")
            .ToList();
        Assert.That(scales, Is.EqualTo(new[]
        {
            "vantiq=0", "metrics-collector=0", "vision-analytics=0", "vantiq=1", "vantiq=3", "metrics-collector=1", "vision-analytics=2",
        }));
        Assert.That(audit.Any(e => (string?)e["verb"] == "create" && (string?)e["objectRef"]!["resource"] == "jobs" && (int?)e["responseStatus"]!["code"] == 201), Is.True, "the Job creation is audited");
        Assert.That(audit.Any(e => (string?)e["verb"] == "patch" && (string?)e["objectRef"]!["resource"] == "statefulsets" && (string?)e["objectRef"]!["subresource"] == null && (string?)e["objectRef"]!["name"] == "vantiq"), Is.True, "set image is audited");
    }
}

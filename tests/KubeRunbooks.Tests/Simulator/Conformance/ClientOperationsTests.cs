using k8s;
using k8s.Models;
using KubeRunbooks.Tests.Simulator.Controllers;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Conformance;

/// <summary>The conformance operations through KubernetesClient (as the tool's Kubernetes layer will do them), against the vantiq scenario.</summary>
public sealed class ClientOperationsTests : ScenarioClusterFixture
{
    [SetUp]
    public Task WaitForTheScenarioAsync() => Eventually.UntilAsync(async () =>
        (await PodsAsync("vantiq", "app=vantiq")).Count(IsReady) == 3, "the vantiq scenario is ready");

    [Test]
    public async Task A_job_from_the_cronjob_is_watched_to_completion_and_its_log_read()
    {
        var cronJob = await Client.BatchV1.ReadNamespacedCronJobAsync("mongobackup", "vantiq");
        var job = new V1Job
        {
            Metadata = new V1ObjectMeta
            {
                Name = "mongobackup-client",
                Annotations = new Dictionary<string, string> { ["cronjob.kubernetes.io/instantiate"] = "manual" },
                Labels = cronJob.Spec.JobTemplate.Metadata?.Labels,
                OwnerReferences = [new V1OwnerReference { ApiVersion = "batch/v1", Kind = "CronJob", Name = cronJob.Metadata.Name, Uid = cronJob.Metadata.Uid, Controller = true }],
            },
            Spec = cronJob.Spec.JobTemplate.Spec,
        };
        var created = await Client.BatchV1.CreateNamespacedJobAsync(job, "vantiq");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var events = Client.BatchV1.WatchListNamespacedJobAsync("vantiq", fieldSelector: "metadata.name=mongobackup-client",
            resourceVersion: created.Metadata.ResourceVersion, cancellationToken: timeout.Token);
        V1Job? done = null;
        await foreach (var (type, item) in events)
        {
            if (type == WatchEventType.Modified && item.Status?.Conditions?.Any(c => c.Type == "Complete" && c.Status == "True") == true)
            {
                done = item;
                break;
            }
        }

        Assert.That(done, Is.Not.Null);
        Assert.That(done!.Status.Succeeded, Is.EqualTo(1));
        var pod = (await PodsAsync("vantiq", "job-name=mongobackup-client")).Single();
        await using var stream = await Client.CoreV1.ReadNamespacedPodLogAsync(pod.Metadata.Name, "vantiq", container: "mongobackup");
        var log = await new StreamReader(stream).ReadToEndAsync();
        Assert.That(log, Does.Contain("mongobackup: wrote mongobackup-client.archive.gz"));
    }

    [Test]
    public async Task Scale_through_the_scale_subresource_and_rollout_restart_by_patch()
    {
        var scale = await Client.AppsV1.ReadNamespacedStatefulSetScaleAsync("vision-analytics", "vantiq");
        scale.Spec.Replicas = 1;
        await Client.AppsV1.ReplaceNamespacedStatefulSetScaleAsync(scale, "vision-analytics", "vantiq");
        await Eventually.UntilAsync(async () => (await PodsAsync("vantiq", "app=vision-analytics")).Count == 1, "vision-analytics has one pod");

        var stale = scale;
        stale.Spec.Replicas = 2;
        var conflict = Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => Client.AppsV1.ReplaceNamespacedStatefulSetScaleAsync(stale, "vision-analytics", "vantiq"));
        Assert.That((int)conflict!.Response.StatusCode, Is.EqualTo(409));

        await Client.AppsV1.PatchNamespacedStatefulSetScaleAsync(new V1Patch("{\"spec\":{\"replicas\":2}}", V1Patch.PatchType.MergePatch), "vision-analytics", "vantiq");
        var before = (await Client.AppsV1.ReadNamespacedStatefulSetAsync("vision-analytics", "vantiq"));
        var restart = $"{{\"spec\":{{\"template\":{{\"metadata\":{{\"annotations\":{{\"kubectl.kubernetes.io/restartedAt\":\"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}\"}}}}}}}}}}";
        await Client.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch(restart, V1Patch.PatchType.StrategicMergePatch), "vision-analytics", "vantiq");

        await Eventually.UntilAsync(async () =>
        {
            var sts = await Client.AppsV1.ReadNamespacedStatefulSetAsync("vision-analytics", "vantiq");
            return sts.Status.ObservedGeneration == sts.Metadata.Generation && sts.Status.ReadyReplicas == 2 &&
                   sts.Status.UpdatedReplicas == 2 && sts.Status.CurrentRevision == sts.Status.UpdateRevision &&
                   sts.Status.UpdateRevision != before.Status.UpdateRevision;
        }, "the restart has rolled out");
    }
}

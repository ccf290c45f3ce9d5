using k8s;
using k8s.Models;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Controllers;

/// <summary>The Job controller and the kubelet's handling of run-to-completion pods, through KubernetesClient.</summary>
public sealed class JobControllerTests : ScenarioClusterFixture
{
    [Test]
    public async Task A_job_whose_container_exits_0_is_complete()
    {
        var ns = await NewNamespaceAsync();
        await Client.BatchV1.CreateNamespacedJobAsync(Job("ok", "echo done"), ns);

        var job = await WaitForJobAsync(ns, "ok", s => s.Conditions?.Any(c => c.Type == "Complete") == true);
        Assert.That(job.Status.Succeeded, Is.EqualTo(1));
        Assert.That(job.Status.Failed ?? 0, Is.Zero);
        Assert.That(job.Status.Active ?? 0, Is.Zero);
        Assert.That(job.Status.StartTime, Is.Not.Null);
        Assert.That(job.Status.CompletionTime, Is.Not.Null);
        Assert.That(job.Status.Conditions.Single(c => c.Type == "Complete").Status, Is.EqualTo("True"));
        var pod = (await PodsAsync(ns, "job-name=ok")).Single();
        Assert.That(pod.Metadata.Name, Does.StartWith("ok-"));
        Assert.That(pod.Status.Phase, Is.EqualTo("Succeeded"));
        Assert.That(pod.Status.ContainerStatuses[0].State.Terminated.Reason, Is.EqualTo("Completed"));
        var log = (await Kubectl.RunAsync("logs", "-n", ns, pod.Metadata.Name)).EnsureSuccess().Stdout;
        Assert.That(log, Is.EqualTo("done\n"));
    }

    [Test]
    public async Task A_failing_job_gets_a_new_pod_per_retry_until_the_backoff_limit_then_fails()
    {
        var ns = await NewNamespaceAsync();
        await Client.BatchV1.CreateNamespacedJobAsync(Job("bad", "echo nope >&2; exit 2", backoffLimit: 2), ns);

        var job = await WaitForJobAsync(ns, "bad", s => s.Conditions?.Any(c => c.Type == "Failed") == true);
        var failed = job.Status.Conditions.Single(c => c.Type == "Failed");
        Assert.That(failed.Status, Is.EqualTo("True"));
        Assert.That(failed.Reason, Is.EqualTo("BackoffLimitExceeded"));
        Assert.That(job.Status.Failed, Is.EqualTo(3));
        Assert.That(job.Status.Succeeded ?? 0, Is.Zero);
        Assert.That(job.Status.Conditions.Any(c => c.Type == "Complete"), Is.False);
        var pods = await PodsAsync(ns, "job-name=bad");
        Assert.That(pods, Has.Count.EqualTo(3));
        Assert.That(pods.Select(p => p.Status.ContainerStatuses[0].State.Terminated.ExitCode), Is.All.EqualTo(2));
        Assert.That(pods.Select(p => p.Status.Phase), Is.All.EqualTo("Failed"));
        var warning = (await Client.CoreV1.ListNamespacedEventAsync(ns)).Items.Single(e => e.Type == "Warning" && e.InvolvedObject.Name == "bad");
        Assert.That(warning.Reason, Is.EqualTo("BackoffLimitExceeded"));
        Assert.That(warning.InvolvedObject.Kind, Is.EqualTo("Job"));
    }

    [Test]
    public async Task A_job_that_fails_once_and_then_succeeds_is_complete_with_one_failure()
    {
        var ns = await NewNamespaceAsync();
        // The first run leaves a marker in the shared working area and fails; the retry succeeds.
        // Containers see only their volumes: the marker lives in a hostPath volume both runs mount.
        var marker = "/shared/retry-" + ns;
        var flaky = Job("flaky", $"if [ -e {marker} ]; then echo ok; else touch {marker}; exit 1; fi", backoffLimit: 3);
        SharedFolder(flaky.Spec.Template.Spec);
        await Client.BatchV1.CreateNamespacedJobAsync(flaky, ns);

        var job = await WaitForJobAsync(ns, "flaky", s => s.Conditions?.Any(c => c.Type is "Complete" or "Failed") == true);
        Assert.That(job.Status.Conditions.Select(c => c.Type), Does.Contain("Complete"));
        Assert.That(job.Status.Failed, Is.EqualTo(1));
        Assert.That(job.Status.Succeeded, Is.EqualTo(1));
    }

    [Test]
    public async Task The_fault_plan_makes_a_named_job_fail()
    {
        var ns = await NewNamespaceAsync();
        Cluster.Faults.FailingJobs.Add("^doomed-");
        await Client.BatchV1.CreateNamespacedJobAsync(Job("doomed-backup", "echo fine"), ns);

        var job = await WaitForJobAsync(ns, "doomed-backup", s => s.Conditions?.Any(c => c.Type is "Complete" or "Failed") == true);
        Assert.That(job.Status.Conditions.Select(c => c.Type), Does.Contain("Failed").And.Not.Contain("Complete"));
        var pod = (await PodsAsync(ns, "job-name=doomed-backup")).Single();
        Assert.That(pod.Spec.Containers[0].Command, Is.EqualTo(new[] { "sh", "-c", "echo fine" }), "the stored spec is unchanged");
        Assert.That(pod.Status.ContainerStatuses[0].State.Terminated.ExitCode, Is.EqualTo(1));
    }

    [Test]
    public async Task Deleting_a_job_deletes_its_pods()
    {
        var ns = await NewNamespaceAsync();
        await Client.BatchV1.CreateNamespacedJobAsync(Job("long", "sleep 600"), ns);
        await Eventually.UntilAsync(async () => (await PodsAsync(ns, "job-name=long")).SingleOrDefault()?.Status?.Phase == "Running", "the job's pod runs");

        await Client.BatchV1.DeleteNamespacedJobAsync("long", ns);

        Assert.That(await PodsAsync(ns, "job-name=long"), Is.Empty);
    }

    private async Task<V1Job> WaitForJobAsync(string ns, string name, Func<V1JobStatus, bool> condition)
    {
        V1Job? job = null;
        await Eventually.UntilAsync(async () =>
        {
            job = await Client.BatchV1.ReadNamespacedJobAsync(name, ns);
            return job.Status != null && condition(job.Status);
        }, $"job {name} reaches the expected status");
        return job!;
    }
}

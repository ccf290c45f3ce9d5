using k8s;
using k8s.Models;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Controllers;

/// <summary>The kubelet's restarts of restartPolicy Always containers (back-off 200 ms in these tests).</summary>
public sealed class RestartTests : ScenarioClusterFixture
{
    [Test]
    public async Task A_container_that_exits_is_restarted_with_its_count_last_state_and_previous_log()
    {
        var ns = await NewNamespaceAsync();
        var counter = "/shared/runs-" + ns;
        var sts = TestObjects.StatefulSet("flaky", 1);
        SharedFolder(sts.Spec.Template.Spec);
        // The first run fails; the second stays up.
        sts.Spec.Template.Spec.Containers[0].Command =
        [
            "sh", "-c",
            $"n=`cat {counter} 2>/dev/null || echo 0`; n=`expr $n + 1`; echo $n > {counter}; " +
            "if [ $n -eq 1 ]; then echo run $n failing; exit 1; fi; echo run $n up; exec sleep 600",
        ];
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(sts, ns);

        V1Pod? pod = null;
        // Without a readiness probe the first run may look Ready for an instant, as on a real cluster.
        await Eventually.UntilAsync(async () =>
        {
            pod = await Client.CoreV1.ReadNamespacedPodAsync("flaky-0", ns);
            return IsReady(pod) && pod.Status.ContainerStatuses[0].RestartCount == 1;
        }, "flaky-0 is ready after its restart");

        var status = pod!.Status.ContainerStatuses[0];
        Assert.That(status.RestartCount, Is.EqualTo(1));
        Assert.That(status.LastState.Terminated.ExitCode, Is.EqualTo(1));
        Assert.That(status.LastState.Terminated.Reason, Is.EqualTo("Error"));
        Assert.That(status.State.Running, Is.Not.Null);
        Assert.That(pod.Status.Phase, Is.EqualTo("Running"));
        Assert.That((await Kubectl.RunAsync("logs", "flaky-0", "-n", ns, "--previous")).EnsureSuccess().Stdout, Is.EqualTo("run 1 failing\n"));
        Assert.That((await Kubectl.RunAsync("logs", "flaky-0", "-n", ns)).EnsureSuccess().Stdout, Is.EqualTo("run 2 up\n"));
    }

    [Test]
    public async Task A_container_that_keeps_failing_is_in_crash_loop_back_off_and_never_ready()
    {
        var ns = await NewNamespaceAsync();
        var sts = TestObjects.StatefulSet("crash", 2);
        sts.Spec.Template.Spec.Containers[0].Command = ["sh", "-c", "echo bad config >&2; exit 2"];
        await Client.AppsV1.CreateNamespacedStatefulSetAsync(sts, ns);

        V1Pod? pod = null;
        await Eventually.UntilAsync(async () =>
        {
            pod = await Client.CoreV1.ReadNamespacedPodAsync("crash-0", ns);
            var container = pod.Status?.ContainerStatuses?[0];
            return container?.RestartCount >= 2 && container.State.Waiting?.Reason == "CrashLoopBackOff";
        }, "crash-0 is backing off after two restarts");

        var status = pod!.Status.ContainerStatuses[0];
        Assert.That(status.LastState.Terminated.ExitCode, Is.EqualTo(2));
        Assert.That(status.Ready, Is.False);
        Assert.That(pod.Status.Phase, Is.EqualTo("Running"));
        Assert.That(IsReady(pod), Is.False);
        await Client.AppsV1.DeleteNamespacedStatefulSetAsync("crash", ns);
    }

    [Test]
    public async Task Job_pods_are_not_restarted()
    {
        var ns = await NewNamespaceAsync();
        await Client.BatchV1.CreateNamespacedJobAsync(TestObjects.Job("once", "exit 1"), ns);
        await Eventually.UntilAsync(async () => (await Client.BatchV1.ReadNamespacedJobAsync("once", ns)).Status?.Failed == 1, "the job failed");

        var pod = (await PodsAsync(ns, "job-name=once")).Single();
        Assert.That(pod.Status.ContainerStatuses[0].RestartCount, Is.Zero);
        Assert.That(pod.Status.Phase, Is.EqualTo("Failed"));
    }
}

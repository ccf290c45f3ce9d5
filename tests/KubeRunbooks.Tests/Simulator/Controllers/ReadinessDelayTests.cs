using k8s;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Controllers;

/// <summary>With a readiness delay far longer than any test, pods run but are not Ready and the ordered start waits.</summary>
public sealed class ReadinessDelayTests : ScenarioClusterFixture
{
    protected override TimeSpan ReadinessDelay => TimeSpan.FromHours(1);

    [Test]
    public async Task Pods_run_but_stay_not_ready_until_the_delay_has_passed()
    {
        await Eventually.UntilAsync(async () => (await PodsAsync("vantiq", "app=vantiq")).SingleOrDefault()?.Status?.Phase == "Running", "vantiq-0 runs");

        var pod = (await PodsAsync("vantiq", "app=vantiq")).Single();
        Assert.That(pod.Metadata.Name, Is.EqualTo("vantiq-0"));
        Assert.That(pod.Status.ContainerStatuses[0].State.Running, Is.Not.Null);
        Assert.That(pod.Status.ContainerStatuses[0].Ready, Is.False);
        Assert.That(IsReady(pod), Is.False);
        var status = await Kubectl.RunAsync("rollout", "status", "sts/vantiq", "-n", "vantiq", "--timeout=1s");
        Assert.That(status.ExitCode, Is.Not.Zero);
        Assert.That(status.Stdout, Does.Contain("Waiting for 3 pods to be ready"));
    }
}

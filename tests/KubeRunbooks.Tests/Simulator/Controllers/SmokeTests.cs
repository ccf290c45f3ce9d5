namespace KubeRunbooks.Tests.Simulator.Controllers;

public sealed class ScenarioSmokeTests : ScenarioClusterFixture
{
    [Test]
    public async Task The_vantiq_scenario_starts_with_every_statefulset_pod_ready()
    {
        await WaitUntilAsync(async () => (await PodsAsync("vantiq", "app=vantiq")).Count(IsReady) == 3, "3 vantiq pods are ready");
        var pods = await PodsAsync("vantiq", "app in (vantiq,metrics-collector,vision-analytics)");
        Assert.That(pods.Select(p => p.Metadata.Name), Is.SupersetOf(new[] { "vantiq-0", "vantiq-1", "vantiq-2" }));
    }
}

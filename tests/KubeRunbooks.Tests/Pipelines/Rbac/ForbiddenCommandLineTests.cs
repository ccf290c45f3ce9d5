using k8s;
using KubeRunbooks.Simulator.Faults;
using KubeRunbooks.Tests.Kamonohashi;

namespace KubeRunbooks.Tests.Pipelines.Rbac;

/// <summary>
/// A 403 Forbidden from the API server through the built host: before the run's first change (a preflight read) it is
/// one <c>error:</c> line naming the verb and resource, exit 2, nothing changed; after a change it fails the step
/// (exit 1) as any API error does, with the lock released and the failed step named.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ForbiddenCommandLineTests
{
    private KamonohashiWorld _world = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _world = await KamonohashiWorld.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _world.DisposeAsync();

    [TearDown]
    public void ClearFaults()
    {
        while (_world.Cluster.Faults.TakeHttpFault("GET", "/apis/apps/v1/namespaces/kqi-system/deployments/platypus-web-api") is not null) { }
        while (_world.Cluster.Faults.TakeHttpFault("PATCH", "/apis/apps/v1/namespaces/kqi-system/deployments/platypus-web-api") is not null) { }
    }

    [Test]
    public async Task A_preflight_read_refused_is_one_line_naming_verb_and_resource_exit_2_and_nothing_changed()
    {
        var before = await _world.TemplateEnvAsync();
        var writes = _world.Audit().Count;
        _world.Cluster.Faults.AddHttpFault(new HttpFault { Method = "GET", PathPattern = "^/apis/apps/v1/namespaces/kqi-system/deployments/platypus-web-api$", Status = 403, Remaining = 1 });

        var run = _world.Run("--cluster=test", "--target=SetBackupSchedule", "--schedule=Sat=02:00:00", "--keep=3");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        var errors = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(errors, Is.EqualTo(new[]
        {
            "error: This account may not get deployments.apps \"platypus-web-api\" in namespace kqi-system (the API server answered 403 Forbidden before any change); grant the target's role from rbac/. Nothing was changed.",
        }), run.Error);
        Assert.That(run.Output, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(_world.Audit(), Has.Count.EqualTo(writes), "no write reached the cluster");
        Assert.That(await _world.TemplateEnvAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task A_write_refused_after_the_lock_fails_the_step_exit_1_and_releases_the_lock()
    {
        _world.Cluster.Faults.AddHttpFault(new HttpFault { Method = "PATCH", PathPattern = "^/apis/apps/v1/namespaces/kqi-system/deployments/platypus-web-api$", Status = 403, Remaining = 1 });
        var before = await _world.TemplateEnvAsync();

        var run = _world.Run("--cluster=test", "--target=SetBackupSchedule", "--schedule=Sat=02:00:00", "--keep=3");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        Assert.That(run.Error + run.Output, Does.Not.Contain("This account may not"), "after a change a 403 is a failed step, not input to correct");
        Assert.That(run.Output + run.Error, Does.Contain("Forbidden").And.Contain("failed"));
        Assert.That(_world.Audit().Any(a => a.Resource == "leases" && a.Verb == "create"), "the lock was taken: a change was made before the 403");
        Assert.That(await _world.TemplateEnvAsync(), Is.EqualTo(before), "the refused patch changed nothing");
        var lease = await _world.Client.CoordinationV1.ListNamespacedLeaseAsync("kqi-system");
        Assert.That(lease.Items.Where(l => l.Metadata.Name == "kuberunbooks-lock" && !string.IsNullOrEmpty(l.Spec?.HolderIdentity)), Is.Empty, "the lock was released");
    }
}

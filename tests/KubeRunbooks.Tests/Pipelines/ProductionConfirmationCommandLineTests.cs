using KubeRunbooks.Tests.Vantiq;

namespace KubeRunbooks.Tests.Pipelines;

/// <summary>
/// A profile marked <c>production: true</c>, through the built host against a simulated Vantiq install: a target
/// that changes the cluster needs <c>--confirm=NAME</c>; without it or with another name one <c>error:</c> line,
/// exit 2 and not one write reaches the API server. Read-only targets and dry runs need none.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ProductionConfirmationCommandLineTests
{
    private static readonly string[] WriteVerbs = ["create", "update", "patch", "delete", "deletecollection"];
    private VantiqWorld _world = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _world = await VantiqWorld.StartAsync();
        _world.Workspace.WriteKubeconfigProfile("test", _world.Cluster.KubeconfigPath,
            "production: true\n" +
            "timeouts: { default: 60s, podReady: 60s, job: 60s, migration: 60s, rollout: 60s, deploy: 60s }\n" +
            $"vantiq:\n  restoreCommand: '{VantiqWorld.RestoreCommand}'\n");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _world.DisposeAsync();

    [TestCase("MongoBackup")]
    [TestCase("UpgradeMinor", "--to=1.31.0")]
    [TestCase("RollbackPatch")]
    public void A_changing_target_without_confirm_is_refused_and_changes_nothing(string target, params string[] extra)
    {
        var writesBefore = Writes();
        var run = _world.Run([$"--target={target}", .. extra]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        var errors = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(errors, Has.Length.EqualTo(1), run.Error);
        Assert.That(errors[0], Does.StartWith("error: cluster 'test' is marked production").And.Contain("--confirm=test").And.Contain(target));
        Assert.That(Writes(), Is.EqualTo(writesBefore), "no write reached the cluster");
    }

    [Test]
    public void A_confirmation_naming_another_cluster_is_refused()
    {
        var writesBefore = Writes();
        var run = _world.Run("--target=MongoBackup", "--confirm=prod");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error.Trim(), Does.StartWith("error: --confirm=prod does not name the production cluster 'test'").And.Not.Contain("\n"));
        Assert.That(Writes(), Is.EqualTo(writesBefore));
    }

    [Test]
    public void A_read_only_target_needs_no_confirmation()
    {
        var run = _world.Run("--target=ClusterInfo");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
    }

    [Test]
    public void A_dry_run_needs_no_confirmation_and_changes_nothing()
    {
        var writesBefore = Writes();
        var run = _world.Run("--target=UpgradeMinor", "--to=1.31.0", "--dryrun");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(run.Output, Does.Contain("scale"));
        Assert.That(Writes(), Is.EqualTo(writesBefore));
    }

    [Test]
    public void The_right_name_lets_the_change_run()
    {
        var run = _world.Run("--target=MongoBackup", "--confirm=test");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(Writes(), Is.GreaterThan(0), "the backup Job was created");
    }

    private int Writes() => _world.Audit().Count(line => WriteVerbs.Contains(line.Verb));
}

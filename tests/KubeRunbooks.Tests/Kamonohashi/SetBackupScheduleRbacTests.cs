using KubeRunbooks.Tests.Simulator.Api;

namespace KubeRunbooks.Tests.Kamonohashi;

/// <summary>
/// SetBackupSchedule run by a service account holding exactly <c>rbac/kamonohashi-backup-schedule.yaml</c> on a
/// simulated cluster that enforces RBAC: it passes; with one rule of that Role removed, the run is refused before its
/// first change with one line naming the verb and resource, exit 2, and nothing on the cluster changes.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SetBackupScheduleRbacTests
{
    private const string Manifest = "kamonohashi-backup-schedule.yaml";
    private KamonohashiWorld _world = null!;
    private Kubectl _kubectl = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _world = await KamonohashiWorld.StartAsync(enforceRbac: true);
        _kubectl = new Kubectl(_world.Cluster.KubeconfigPath, Path.Combine(_world.Root, "kubectl-cache"));
        // The account every manifest binds: kuberunbooks/kuberunbooks.
        await MustAsync("create", "namespace", "kuberunbooks");
        await MustAsync("create", "serviceaccount", "kuberunbooks", "-n", "kuberunbooks");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _world.DisposeAsync();

    [Test, Order(1)]
    public async Task With_exactly_its_role_the_target_runs_and_changes_the_settings()
    {
        await MustAsync("apply", "-f", RepositoryManifest());
        await UseServiceAccountTokenAsync();

        var run = _world.Run("--cluster=rbac", "--target=SetBackupSchedule", "--schedule=Sat=02:00:00", "--keep=3");

        Assert.That(run.ExitCode, Is.Zero, run.Output + run.Error);
        Assert.That((await _world.TemplateEnvAsync())["BackupPostgresTimerOptions__WeeklyTimeSchedule"], Is.EqualTo("Sat=02:00:00"));
    }

    [Test, Order(2)]
    public async Task Without_one_rule_of_its_role_it_is_refused_before_any_change()
    {
        // The Role as shipped, less "patch" on deployments: everything the preflight reads is still allowed.
        var reduced = File.ReadAllText(RepositoryManifest()).Replace("verbs: [\"get\", \"list\", \"watch\", \"patch\"]", "verbs: [\"get\", \"list\", \"watch\"]", StringComparison.Ordinal);
        Assert.That(reduced, Is.Not.EqualTo(File.ReadAllText(RepositoryManifest())), "the rule to remove is in the manifest");
        var file = Path.Combine(_world.Root, "reduced.yaml");
        await File.WriteAllTextAsync(file, reduced);
        await MustAsync("apply", "-f", file);
        await UseServiceAccountTokenAsync();
        var before = await _world.TemplateEnvAsync();
        var changes = _world.Audit().Count(a => a.Verb is "create" or "update" or "patch" or "delete");

        var run = _world.Run("--cluster=rbac", "--target=SetBackupSchedule", "--schedule=Sun=03:00:00", "--keep=5");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        var errors = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(errors, Has.Length.EqualTo(1), run.Error);
        Assert.That(errors[0], Is.EqualTo(
            $"error: SetBackupSchedule needs permission to patch deployments.apps in namespace kqi-system, which this account does not have; grant rbac/{Manifest}. Nothing was changed."));
        Assert.That(await _world.TemplateEnvAsync(), Is.EqualTo(before), "the settings are as they were");
        Assert.That(_world.Audit().Count(a => a.Verb is "create" or "update" or "patch" or "delete"), Is.EqualTo(changes), "no change reached the cluster");
    }

    private static string RepositoryManifest() => Path.Combine(RepositoryRoot(), "rbac", Manifest);

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "KubeRunbooks.slnx"))) folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("The repository root was not found.");
    }

    // The profile "rbac" reaches the cluster with a token of service account kuberunbooks instead of the administrator's.
    private async Task UseServiceAccountTokenAsync()
    {
        var token = (await MustAsync("create", "token", "kuberunbooks", "-n", "kuberunbooks")).Stdout.Trim();
        var kubeconfig = Path.Combine(_world.Root, "rbac.kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, (await File.ReadAllTextAsync(_world.Cluster.KubeconfigPath)).Replace(_world.Cluster.Token, token, StringComparison.Ordinal));
        _world.Workspace.WriteKubeconfigProfile("rbac", kubeconfig, "timeouts: { default: 60s, podReady: 60s, rollout: 60s }\nkamonohashi: {}\n");
    }

    private async Task<KubectlResult> MustAsync(params string[] args)
    {
        var result = await _kubectl.RunAsync(args);
        Assert.That(result.ExitCode, Is.Zero, $"kubectl {string.Join(' ', args)}: {result.Stderr}");
        return result;
    }
}

using k8s;
using k8s.Models;
using KubeRunbooks.Tests.Vantiq;

namespace KubeRunbooks.Tests.Kamonohashi;

/// <summary>
/// SetBackupSchedule through the built host's command line against a simulated KAMONOHASHI application: refusals
/// (nothing reaches the cluster), the env change and its rollout, a rerun that changes nothing, settings in a
/// ConfigMap (restart), the dry run and --save-profile.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SetBackupScheduleCommandLineTests
{
    private const string Schedule = "BackupPostgresTimerOptions__WeeklyTimeSchedule";
    private const string Keep = "BackupPostgresTimerOptions__MaxNumberOfBackupFiles";

    private KamonohashiWorld _world = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _world = await KamonohashiWorld.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _world.DisposeAsync();

    // One case of each kind of mistake through the command line (every format case is in WeeklyScheduleFormatTests).
    [TestCase("--schedule=Sun", "no '=' between the day and the time")]
    [TestCase("--schedule=Xyz=01:00:00", "'Xyz' is not a day (Sun, Mon, Tue, Wed, Thu, Fri, Sat)")]
    [TestCase("--schedule=sun=01:00:00", "the day 'sun' must be written exactly Sun")]
    [TestCase("--schedule=Sun=1:00:00", "'1:00:00' is not a time HH:mm:ss")]
    [TestCase("--schedule=Sun=01:00:00;", "slot 2 of 'Sun=01:00:00;' is empty")]
    [TestCase("--schedule=Sun=01:00:00;Sun=01:00:00", "the slot 'Sun=01:00:00' is given twice")]
    [TestCase("--keep=0", "--keep=\"0\" is not a number of backups to keep")]
    [TestCase("--keep=two", "--keep=\"two\" is not a number of backups to keep")]
    [TestCase("", "--schedule=\"Sun=01:00:00;Mon=01:00:00\" and/or --keep=N is required")]
    public void A_bad_schedule_or_keep_is_one_error_line_exit_2_and_nothing_changed(string argument, string expected)
    {
        var before = _world.Audit().Count;
        var args = new[] { "--cluster=test", "--target=SetBackupSchedule", argument }.Where(a => a.Length > 0).ToArray();

        var run = _world.Run(args);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), run.Error);
        Assert.That(run.Error, Does.StartWith("error: ").And.Contain(expected));
        Assert.That(_world.Audit().Skip(before), Is.Empty, "no request changed anything");
    }

    [Test]
    public void A_dry_run_with_a_bad_schedule_is_refused_as_the_run_would_be()
    {
        var run = _world.Run("--cluster=test", "--target=SetBackupSchedule", "--schedule=Sun=25:00:00", "--dryrun");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error.Trim(), Does.StartWith("error: --schedule=\"Sun=25:00:00\": 'Sun=25:00:00' is not a slot like Sun=01:00:00: '25:00:00' is not a time HH:mm:ss"));
    }

    [Test]
    public void A_profile_whose_application_is_missing_is_refused()
    {
        _world.WriteProfiles();
        _world.Workspace.WriteKubeconfigProfile("noapp", _world.Cluster.KubeconfigPath, "kamonohashi:\n  appDeployment: nosuch-api\n");
        var before = _world.Audit().Count;

        var run = _world.Run("--cluster=noapp", "--target=SetBackupSchedule", "--schedule=Sun=01:00:00");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error, Does.StartWith("error: ").And.Contain("deployment kqi-system/nosuch-api does not exist"));
        Assert.That(_world.Audit().Skip(before), Is.Empty);
    }

    [Test]
    public async Task A_setting_taken_from_a_secret_is_refused_naming_where_it_comes_from()
    {
        var patch = """{"spec":{"template":{"spec":{"containers":[{"name":"platypus-web-api","env":[{"name":"KEY","valueFrom":{"configMapKeyRef":{"name":"elsewhere","key":"keep"}}}]}]}}}}""".Replace("KEY", Keep, StringComparison.Ordinal);
        _world.Workspace.WriteKubeconfigProfile("other", _world.Cluster.KubeconfigPath, "kamonohashi:\n  namespace: kqi-other\n");
        await _world.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "kqi-other" } });
        var app = await _world.AppAsync();
        await _world.Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = KamonohashiWorld.App, NamespaceProperty = "kqi-other" },
            Spec = app.Spec,
        }, "kqi-other");
        await _world.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), KamonohashiWorld.App, "kqi-other");
        var before = _world.Audit().Count;

        var run = _world.Run("--cluster=other", "--target=SetBackupSchedule", "--keep=3");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error, Does.StartWith("error: ").And.Contain($"{Keep} in container platypus-web-api").And.Contain("configmap elsewhere key keep"));
        Assert.That(_world.Audit().Skip(before), Is.Empty);
    }

    [Test]
    [Order(1)]
    public async Task A_dry_run_lists_the_change_and_the_rollout_and_changes_nothing()
    {
        _world.WriteProfiles();
        var before = _world.Audit().Count;

        var run = _world.Run("--cluster=test", "--target=SetBackupSchedule", "--schedule=Sun=01:00:00;Mon=01:00:00", "--keep=2", "--dryrun");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(run.Output, Does.Contain($"set {Schedule}=Sun=01:00:00;Mon=01:00:00 in env of container").And.Contain("(now unset, default Sun=01:00:00)"));
        Assert.That(run.Output, Does.Contain($"set {Keep}=2 in env of container").And.Contain("(now unset, default 1)"));
        Assert.That(run.Output, Does.Contain("wait for the rollout of deployment kqi-system/platypus-web-api"));
        Assert.That(_world.Audit().Skip(before), Is.Empty);
        Assert.That(await _world.TemplateEnvAsync(), Does.Not.ContainKey(Schedule));
    }

    [Test]
    [Order(2)]
    public async Task The_settings_are_set_in_the_container_env_the_app_rolls_out_and_a_rerun_changes_nothing()
    {
        _world.WriteProfiles();
        var podsBefore = (await _world.PodsAsync()).Select(p => p.Metadata.Name).ToList();
        var before = _world.Audit().Count;

        var run = _world.Run("--cluster=test", "--target=SetBackupSchedule", "--schedule=Sun=01:00:00;Mon=01:00:00", "--keep=2");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        var env = await _world.TemplateEnvAsync();
        Assert.That(env[Schedule], Is.EqualTo("Sun=01:00:00;Mon=01:00:00"));
        Assert.That(env[Keep], Is.EqualTo("2"));
        Assert.That(env["DeployOptions__GpuNodes"], Is.EqualTo("gpu-1"), "the other settings stay");

        // The audit log: the lease, then one patch of the template; no other change of the application.
        var changes = _world.Audit().Skip(before).Where(a => a.Resource != "leases").ToList();
        Assert.That(changes.Select(a => $"{a.Verb} {a.Resource} {a.Name}"), Is.EqualTo(new[] { "patch deployments platypus-web-api" }));
        Assert.That(changes[0].Body?.ToJsonString(), Does.Contain(Schedule).And.Contain("Sun=01:00:00;Mon=01:00:00"));
        var lease = _world.Audit().Skip(before).First(a => a.Resource == "leases");
        Assert.That(lease.Received, Is.LessThan(changes[0].Received), "the change is made under the lock");

        // The rollout finished before the run ended: every pod is new and runs with the new values.
        var deployment = await _world.AppAsync();
        Assert.That(deployment.Status.UpdatedReplicas, Is.EqualTo(2));
        Assert.That(deployment.Status.ReadyReplicas, Is.EqualTo(2));
        var pods = await _world.PodsAsync();
        Assert.That(pods.Select(p => p.Metadata.Name), Has.None.AnyOf(podsBefore.ToArray()));
        Assert.That(pods.Select(p => p.Spec.Containers.Single().Env.Single(e => e.Name == Schedule).Value), Is.All.EqualTo("Sun=01:00:00;Mon=01:00:00"));

        // The same values again: nothing written, no rollout.
        var beforeRerun = _world.Audit().Count;
        var rerun = _world.Run("--cluster=test", "--target=SetBackupSchedule", "--schedule=Sun=01:00:00;Mon=01:00:00", "--keep=2");

        Assert.That(rerun.ExitCode, Is.EqualTo(0), rerun.Output + rerun.Error);
        Assert.That(rerun.Output, Does.Contain("Nothing to change").And.Contain("No rollout"));
        Assert.That(_world.Audit().Skip(beforeRerun).Where(a => a.Resource != "leases"), Is.Empty);
        Assert.That((await _world.PodsAsync()).Select(p => p.Metadata.Name), Is.EquivalentTo(pods.Select(p => p.Metadata.Name)));

        // A dry run now says there is nothing to do.
        var dry = _world.Run("--cluster=test", "--target=SetBackupSchedule", "--keep=2", "--dryrun");
        Assert.That(dry.Output, Does.Contain($"nothing: env of container").And.Contain($"{Keep}=2"));
    }

    [Test]
    [Order(3)]
    public async Task Only_the_keep_changes_when_only_keep_is_given()
    {
        _world.WriteProfiles();
        var run = _world.Run("--cluster=test", "--target=SetBackupSchedule", "--keep=3");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        var env = await _world.TemplateEnvAsync();
        Assert.That(env[Keep], Is.EqualTo("3"));
        Assert.That(env[Schedule], Is.EqualTo("Sun=01:00:00;Mon=01:00:00"));
        Assert.That(run.Output, Does.Contain($"{Keep}: 2 -> 3"));
    }

    [Test]
    public async Task Settings_in_a_configmap_are_patched_there_and_the_app_is_restarted()
    {
        var podsBefore = (await _world.PodsAsync("kqi-cm")).Select(p => p.Metadata.Name).ToList();
        var before = _world.Audit().Count;

        var run = _world.Run("--cluster=cm", "--target=SetBackupSchedule", "--schedule=Wed=23:59:59", "--keep=5");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        var map = await _world.Client.CoreV1.ReadNamespacedConfigMapAsync(KamonohashiWorld.SettingsMap, "kqi-cm");
        Assert.That(map.Data[Schedule], Is.EqualTo("Wed=23:59:59"));
        Assert.That(map.Data[Keep], Is.EqualTo("5"));
        Assert.That(map.Data["DeployOptions__GpuNodes"], Is.EqualTo("gpu-1"));
        var changes = _world.Audit().Skip(before).Where(a => a.Resource != "leases").ToList();
        Assert.That(changes.Select(a => $"{a.Verb} {a.Resource} {a.Name}"), Is.EqualTo(new[] { "patch configmaps kqi-app-settings", "patch deployments platypus-web-api" }));
        Assert.That(changes[1].Body?.ToJsonString(), Does.Contain("kubectl.kubernetes.io/restartedAt"));
        var pods = await _world.PodsAsync("kqi-cm");
        Assert.That(pods, Has.Count.EqualTo(1));
        Assert.That(pods.Select(p => p.Metadata.Name), Has.None.AnyOf(podsBefore.ToArray()), "the pod was replaced");
        Assert.That((await _world.AppAsync("kqi-cm")).Status.UpdatedReplicas, Is.EqualTo(1));

        var beforeRerun = _world.Audit().Count;
        var rerun = _world.Run("--cluster=cm", "--target=SetBackupSchedule", "--schedule=Wed=23:59:59", "--keep=5");
        Assert.That(rerun.ExitCode, Is.EqualTo(0), rerun.Output + rerun.Error);
        Assert.That(_world.Audit().Skip(beforeRerun).Where(a => a.Resource != "leases"), Is.Empty, "no restart when nothing changed");
    }

    [Test]
    [Order(4)]
    public async Task Save_profile_writes_the_schedule_and_retention_and_keeps_the_comments()
    {
        const string Extra = """
            # Backups of this cluster: keep the comments.
            backups:
              folder: backups   # where they go
              retention: 1      # generations
            # schedule: Sun=01:00:00
            """;
        _world.WriteProfiles(Extra + "\n");
        var original = await File.ReadAllTextAsync(_world.TestProfilePath);

        var dry = _world.Run("--cluster=test", "--target=SetBackupSchedule", "--schedule=Sat=02:30:00", "--keep=4", "--save-profile", "--dryrun");
        Assert.That(dry.ExitCode, Is.EqualTo(0), dry.Output + dry.Error);
        Assert.That(dry.Output, Does.Contain("write schedule: Sat=02:30:00 and backups.retention: 4 to"));
        Assert.That(await File.ReadAllTextAsync(_world.TestProfilePath), Is.EqualTo(original), "a dry run writes nothing");

        var run = _world.Run("--cluster=test", "--target=SetBackupSchedule", "--schedule=Sat=02:30:00", "--keep=4", "--save-profile");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        var saved = await File.ReadAllTextAsync(_world.TestProfilePath);
        Assert.That(saved, Does.Contain("  retention: 4      # generations"));
        Assert.That(saved, Does.Contain("  folder: backups   # where they go"));
        Assert.That(saved, Does.Contain("# Backups of this cluster: keep the comments."));
        Assert.That(saved, Does.Contain("# schedule: Sun=01:00:00\n"));
        Assert.That(saved, Does.Contain("\nschedule: Sat=02:30:00\n"));
        Assert.That((await _world.TemplateEnvAsync())[Schedule], Is.EqualTo("Sat=02:30:00"));

        // The saved profile is read back by the next run as it was written.
        var info = _world.Run("--cluster=test", "--target=SetBackupSchedule", "--schedule=Sat=02:30:00", "--keep=4", "--save-profile");
        Assert.That(info.ExitCode, Is.EqualTo(0), info.Output + info.Error);
        Assert.That(info.Output, Does.Contain("already has these values"));
    }
}

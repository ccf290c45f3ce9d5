using System.Text;
using k8s;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Secrets;
using KubeRunbooks.Simulator.Faults;

namespace KubeRunbooks.Tests.Kamonohashi;

/// <summary>
/// RotateStoragePassword through the built host against a simulated KAMONOHASHI install (MinIO and the application
/// both read <c>minio-credential</c>): the new key from a variable or a file, the Secret, both rolled out and running
/// with it, the seed's manual step last; a failure midway puts the old key back everywhere; refusals (the value as an
/// argument, a CI runner with no source, a short key); the key never in output, reports or the API server's audit log.
/// </summary>
[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RotateStoragePasswordCommandLineTests
{
    private const string FirstKey = "first-new-key-7c41a9e2";
    private const string SecondKey = "second-new-key-b83d0f55";
    private static readonly string[] Mutations = ["create", "update", "patch", "delete"];
    private StorageWorld _world = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _world = await StorageWorld.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _world.DisposeAsync();

    [Test]
    [Order(1)]
    public async Task The_new_key_from_a_variable_reaches_the_secret_minio_and_the_app_and_the_manual_step_is_last()
    {
        var run = _world.Run(new Dictionary<string, string> { ["KUBERUNBOOKS_STORAGE_SECRET_KEY"] = FirstKey }, "--cluster=test", "--target=RotateStoragePassword");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(await SecretKeyAsync(), Is.EqualTo(FirstKey));
        Assert.That(await MismatchesAsync("minio", "MINIO_SECRET_KEY", FirstKey), Is.Empty);
        Assert.That(await MismatchesAsync(StorageWorld.App, "ObjectStorageOptions__SecretKey", FirstKey), Is.Empty);
        var lines = run.Output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var step = lines.FindLastIndex(l => l.Contains("ストレージ管理画面", StringComparison.Ordinal));
        Assert.That(step, Is.GreaterThan(lines.FindLastIndex(l => l.Contains("runs with the new key", StringComparison.Ordinal))), run.Output);
        AssertNeverShown(run, FirstKey, StorageWorld.OldSecretKey);
    }

    [Test]
    [Order(2)]
    public async Task A_failure_midway_puts_the_old_key_back_everywhere()
    {
        var file = Path.Combine(_world.Workspace.Folder, "new-key.txt");
        await File.WriteAllTextAsync(file, SecondKey + "\n");
        _world.Cluster.Faults.AddHttpFault(new HttpFault { Method = "PATCH", PathPattern = "/deployments/platypus-web-api$", Status = 500, Remaining = 5 });

        var run = _world.Run("--cluster=test", "--target=RotateStoragePassword", $"--storage-secret-key-file={file}");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        Assert.That(run.Output + run.Error, Does.Contain("The old key is back in secret kqi-system/minio-credential key MINIO_SECRET_KEY"));
        Assert.That(await SecretKeyAsync(), Is.EqualTo(FirstKey), "the key before this run");
        Assert.That(await MismatchesAsync("minio", "MINIO_SECRET_KEY", FirstKey), Is.Empty, "MinIO rolled out again with the old key");
        Assert.That(await MismatchesAsync(StorageWorld.App, "ObjectStorageOptions__SecretKey", FirstKey), Is.Empty);
        Assert.That(run.Output, Does.Not.Contain("ストレージ管理画面"), "no manual step after a failed rotation");
        AssertNeverShown(run, SecondKey, FirstKey);
    }

    [Test]
    public void The_value_as_an_argument_is_refused_and_never_shown()
    {
        var before = _world.Audit().Count;

        var run = _world.Run("--cluster=test", "--target=RotateStoragePassword", "--storage-secret-key=argument-key-51ac0e");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error, Does.StartWith("error: Storage Secret Key is never taken from the command line"));
        Assert.That(run.Output + run.Error, Does.Not.Contain("argument-key-51ac0e"));
        Assert.That(_world.Audit().Skip(before).Where(a => Mutations.Contains(a.Verb)), Is.Empty);
    }

    [TestCase("true", "", "no one can type it on this GitHubActions runner: set KUBERUNBOOKS_STORAGE_SECRET_KEY")]
    [TestCase("", "short", "must be at least 8 characters")]
    public void Bad_input_is_one_error_line_exit_2_and_nothing_changed(string githubActions, string value, string expected)
    {
        var environment = new Dictionary<string, string>();
        if (githubActions.Length > 0)
        {
            environment["GITHUB_ACTIONS"] = githubActions;
            environment["GITHUB_STEP_SUMMARY"] = Path.Combine(_world.Workspace.Folder, "step-summary.md");
        }
        if (value.Length > 0) environment["KUBERUNBOOKS_STORAGE_SECRET_KEY"] = value;
        var before = _world.Audit().Count;

        var run = _world.Run(environment, "--cluster=test", "--target=RotateStoragePassword");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), run.Error);
        Assert.That(run.Error, Does.Contain(expected));
        Assert.That(_world.Audit().Skip(before).Where(a => Mutations.Contains(a.Verb)), Is.Empty);
    }

    private async Task<string> SecretKeyAsync() =>
        Encoding.UTF8.GetString((await _world.Client.CoreV1.ReadNamespacedSecretAsync("minio-credential", "kqi-system")).Data["MINIO_SECRET_KEY"]);

    private async Task<IReadOnlyList<string>> MismatchesAsync(string deployment, string variable, string expected)
    {
        var workload = WorkloadRef.Deployment("kqi-system", deployment);
        var container = deployment;
        return await new SecretEnvProbe(_world.Client).MismatchesAsync(new SecretConsumer(workload, [(container, variable)]), "app=" + deployment, expected, CancellationToken.None);
    }

    /// <summary>The values appear nowhere the run wrote: its output, its report folder, the API server's audit log.</summary>
    private void AssertNeverShown(Support.HostRun run, params string[] values)
    {
        var texts = new List<(string Where, string Text)> { ("stdout", run.Output), ("stderr", run.Error), ("audit log", File.ReadAllText(_world.Cluster.AuditLogPath)) };
        foreach (var folder in _world.Workspace.RunFolders)
            foreach (var path in Directory.GetFiles(folder, "*", SearchOption.AllDirectories))
                texts.Add((path, File.ReadAllText(path)));
        foreach (var value in values)
            foreach (var (where, text) in texts)
                Assert.That(text, Does.Not.Contain(value), $"{where} shows a secret value");
    }
}

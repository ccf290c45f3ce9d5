using System.Text.Json;
using k8s;
using k8s.Models;
using KubeRunbooks.Simulator.Faults;
using KubeRunbooks.Tests.Simulator.Api;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Cli;

/// <summary>
/// ClusterInfo and the run report through the public surface: the built host as a child process,
/// a profile in a working folder, and a simulated API server reached over HTTPS by its kubeconfig.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ClusterInfoCommandLineTests
{
    private TestCluster _world = null!;
    private HostWorkspace _workspace = null!;

    [OneTimeSetUp]
    public async Task StartClusterAsync()
    {
        _world = await TestCluster.ApiOnly().StartAsync("cli");
        var client = _world.Client;
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "vantiq" } });
        await client.AppsV1.CreateNamespacedStatefulSetAsync(TestObjects.ServerStatefulSet("vantiq", 3), "vantiq");
        await client.AppsV1.CreateNamespacedStatefulSetAsync(TestObjects.ServerStatefulSet("metrics-collector", 1), "vantiq");
    }

    [OneTimeTearDown]
    public async Task StopClusterAsync()
    {
        await _world.DisposeAsync();
    }

    [SetUp]
    public void NewWorkspace()
    {
        _workspace = new HostWorkspace();
        _workspace.WriteKubeconfigProfile("test", _world.Cluster.KubeconfigPath);
    }

    [TearDown]
    public void DropWorkspace() => _workspace.Dispose();

    [Test]
    public void ClusterInfo_prints_versions_and_workloads_and_writes_the_report()
    {
        var run = _workspace.Run("--cluster=test", "--target=ClusterInfo");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(run.Output, Does.Contain("Server version: v1."));
        Assert.That(run.Output, Does.Contain("vantiq/vantiq (StatefulSet)"));
        Assert.That(run.Output, Does.Contain("init container load-model: vantiq/load-model:1.0").And.Contain("container vantiq: vantiq/vantiq-server:1.30.10"));
        Assert.That(run.Output, Does.Contain("vantiq/vision-analytics (StatefulSet): absent (optional)"));

        var folder = run.ReportFolder;
        Assert.That(folder, Is.Not.Null, "the last lines name the report folder");
        Assert.That(Path.GetFileName(folder), Does.Match(@"^\d{8}-\d{6}-ClusterInfo"));
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder!, "report.json")));
        var root = report.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("target").GetString(), Is.EqualTo("ClusterInfo"));
            Assert.That(root.GetProperty("cluster").GetString(), Is.EqualTo("test"));
            Assert.That(root.GetProperty("exitCode").GetInt32(), Is.EqualTo(0));
            var task = root.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "ClusterInfo");
            Assert.That(task.GetProperty("outcome").GetString(), Is.EqualTo("Succeeded"));
            Assert.That(task.GetProperty("facts").EnumerateObject().Select(p => p.Name), Does.Contain("skew"));
        });
        var markdown = File.ReadAllText(Path.Combine(folder!, "report.md"));
        Assert.That(markdown, Does.Contain("ClusterInfo"));
    }

    [Test]
    public void The_bearer_token_and_secret_arguments_never_reach_output_or_reports()
    {
        var run = _workspace.Run("--cluster=test", "--target=ClusterInfo", "--db-password=hunter2-secret");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        var everything = run.Output + run.Error + string.Concat(Directory.GetFiles(run.ReportFolder!).Select(File.ReadAllText));
        Assert.That(everything, Does.Not.Contain(_world.Cluster.Token));
        Assert.That(everything, Does.Not.Contain("hunter2-secret"));
        Assert.That(File.ReadAllText(Path.Combine(run.ReportFolder!, "report.json")), Does.Contain("db-password"));
    }

    [Test]
    public void On_GitHub_Actions_the_report_becomes_the_step_summary_and_the_token_is_masked_by_the_runner()
    {
        var summary = Path.Combine(_workspace.Folder, "step-summary.md");
        var environment = new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = summary };

        var run = _workspace.Run(environment, "--cluster=test", "--target=ClusterInfo");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(File.ReadAllText(summary), Does.Contain("ClusterInfo").And.Contain("Succeeded"));
        // The runner hides the value from its log once told with add-mask; nothing else prints it.
        var lines = run.Output.Split('\n').Where(l => l.Contains(_world.Cluster.Token, StringComparison.Ordinal)).ToList();
        Assert.That(lines, Is.EqualTo(new[] { "::add-mask::" + _world.Cluster.Token }).Using<string>((a, b) => string.CompareOrdinal(a.Trim(), b.Trim())));
    }

    [Test]
    public void A_server_that_fails_ends_the_run_with_exit_code_1_and_a_failed_step()
    {
        _world.Cluster.Faults.AddHttpFault(new HttpFault { Method = "GET", PathPattern = "^/version", Status = 500, Remaining = 20 });
        try
        {
            var run = _workspace.Run("--cluster=test", "--target=ClusterInfo");

            Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
            using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.ReportFolder!, "report.json")));
            var task = report.RootElement.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "ClusterInfo");
            Assert.That(task.GetProperty("outcome").GetString(), Is.EqualTo("Failed"));
            Assert.That(task.GetProperty("message").GetString(), Does.Contain("500"));
            Assert.That(report.RootElement.GetProperty("exitCode").GetInt32(), Is.EqualTo(1));
        }
        finally
        {
            // Use up what the retries left, so the other tests see a healthy server.
            while (_world.Cluster.Faults.TakeHttpFault("GET", "/version") is not null)
            {
            }
        }
    }

    [Test]
    public void An_unknown_profile_exits_2_with_one_line_and_writes_no_report()
    {
        var run = _workspace.Run("--cluster=nosuch", "--target=ClusterInfo");

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(run.Error, Does.Contain("Unknown cluster profile 'nosuch'").And.Contain("test"));
        Assert.That(_workspace.RunFolders, Is.Empty);
    }

    [Test]
    public void A_malformed_profile_exits_2_naming_file_line_and_key()
    {
        _workspace.WriteProfile("broken", $"connection:\n  kubeconfig: {_world.Cluster.KubeconfigPath}\nvantiq:\n  replicas: abc\n");

        var run = _workspace.Run("--cluster=broken", "--target=ClusterInfo");

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Error.Trim(), Does.Match(@"^error: clusters/broken\.yaml:4: vantiq\.replicas: .*abc"));
        Assert.That(_workspace.RunFolders, Is.Empty);
    }

    [Test]
    public void Dry_run_runs_no_task_body_and_says_so_in_the_report()
    {
        var run = _workspace.Run("--cluster=test", "--target=ClusterInfo", "--dryrun");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(run.Output, Does.Not.Contain("Server version:"));
        Assert.That(File.ReadAllText(Path.Combine(run.ReportFolder!, "report.json")), Does.Contain("dry run"));
    }
}

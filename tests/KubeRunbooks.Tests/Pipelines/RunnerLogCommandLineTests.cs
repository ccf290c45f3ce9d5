using KubeRunbooks.Simulator.Faults;
using KubeRunbooks.Simulator.Server;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Pipelines;

/// <summary>
/// The built host on a CI runner (the runner's variables set for the child process; Cake.Common's build-system
/// aliases detect it): a log group per task, errors and warnings as annotations, the profile error pointing at its
/// file and line, secrets masked by the runner, the report as the summary; and none of it off a runner.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RunnerLogCommandLineTests
{
    private string _root = null!;
    private SimulatedCluster _cluster = null!;
    private HostWorkspace _workspace = null!;

    [OneTimeSetUp]
    public async Task StartClusterAsync()
    {
        _root = Path.Combine(Path.GetTempPath(), "kr-runner-" + Guid.NewGuid().ToString("N")[..12]);
        _cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { RootFolder = _root });
    }

    [OneTimeTearDown]
    public async Task StopClusterAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [SetUp]
    public void NewWorkspace()
    {
        _workspace = new HostWorkspace();
        _workspace.WriteKubeconfigProfile("test", _cluster.KubeconfigPath);
    }

    [TearDown]
    public void DropWorkspace() => _workspace.Dispose();

    private Dictionary<string, string> GitHub() => new()
    {
        ["GITHUB_ACTIONS"] = "true",
        ["GITHUB_STEP_SUMMARY"] = Path.Combine(_workspace.Folder, "step-summary.md"),
    };

    private static Dictionary<string, string> Azure() => new()
    {
        ["TF_BUILD"] = "True",
        ["SYSTEM_TEAMFOUNDATIONCOLLECTIONURI"] = "https://dev.azure.com/example/",
    };

    [Test]
    public void On_GitHub_Actions_each_task_is_a_log_group_around_its_output()
    {
        var run = _workspace.Run(GitHub(), "--cluster=test", "--target=ClusterInfo");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        var lines = Lines(run.Output);
        var start = lines.IndexOf("::group::ClusterInfo");
        var end = lines.IndexOf("::endgroup::");
        Assert.That(start, Is.GreaterThanOrEqualTo(0), run.Output);
        Assert.That(end, Is.GreaterThan(start), "the group is closed after the task");
        Assert.That(lines.Skip(start).Take(end - start).Any(l => l.StartsWith("Server version:", StringComparison.Ordinal)), "the task's output is inside its group");
        Assert.That(lines.Count(l => l.StartsWith("::group::", StringComparison.Ordinal)), Is.EqualTo(lines.Count(l => l == "::endgroup::")));
        Assert.That(lines.FindIndex(l => l.StartsWith("::add-mask::", StringComparison.Ordinal)), Is.LessThan(start), "the token is masked before any task prints");
    }

    [Test]
    public void On_GitHub_Actions_a_failing_server_gives_warning_and_error_annotations_without_the_token()
    {
        _cluster.Faults.AddHttpFault(new HttpFault { Method = "GET", PathPattern = "^/version", Status = 500, Remaining = 20 });
        try
        {
            var run = _workspace.Run(GitHub(), "--cluster=test", "--target=ClusterInfo");

            Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
            var lines = Lines(run.Output);
            Assert.That(lines.Where(l => l.StartsWith("::warning", StringComparison.Ordinal)), Is.Not.Empty, "the retries are warnings");
            Assert.That(lines.Where(l => l.StartsWith("::error", StringComparison.Ordinal)).ToList(), Has.Some.Contain("500"), run.Output);
            Assert.That(lines.Where(l => !l.StartsWith("::add-mask::", StringComparison.Ordinal)), Has.None.Contain(_cluster.Token));
            Assert.That(lines.Count(l => l.StartsWith("::group::", StringComparison.Ordinal)), Is.EqualTo(lines.Count(l => l == "::endgroup::")), "a failed task's group is closed too");
        }
        finally
        {
            while (_cluster.Faults.TakeHttpFault("GET", "/version") is not null)
            {
            }
        }
    }

    [Test]
    public void On_GitHub_Actions_a_profile_error_is_an_annotation_on_its_file_and_line()
    {
        _workspace.WriteProfile("broken", "connection:\n  kubeconfig: " + _cluster.KubeconfigPath + "\nvantiq:\n  replicas: three\n");

        var run = _workspace.Run(GitHub(), "--cluster=broken", "--target=ClusterInfo");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), "still one error: line");
        var annotation = Lines(run.Output).SingleOrDefault(l => l.StartsWith("::error", StringComparison.Ordinal));
        Assert.That(annotation, Does.Match(@"^::error file=[^,]*broken\.yaml,line=4::").And.Contain("replicas"), run.Output);
    }

    [Test]
    public void On_Azure_Pipelines_groups_annotations_masks_and_the_uploaded_summary_use_its_commands()
    {
        _cluster.Faults.AddHttpFault(new HttpFault { Method = "GET", PathPattern = "^/version", Status = 500, Remaining = 2 });
        var run = _workspace.Run(Azure(), "--cluster=test", "--target=ClusterInfo");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        var lines = Lines(run.Output);
        Assert.Multiple(() =>
        {
            Assert.That(lines, Does.Contain("##[group]ClusterInfo"));
            Assert.That(lines, Does.Contain("##[endgroup]"));
            Assert.That(lines.Where(l => l.StartsWith("##vso[task.logissue type=warning", StringComparison.Ordinal)), Is.Not.Empty, "the retries are warnings");
            Assert.That(lines.Where(l => l.StartsWith("##vso[task.setvariable variable=KUBERUNBOOKS_SECRET_1", StringComparison.Ordinal)).ToList(), Has.One.Contain("issecret=true"));
            Assert.That(lines.Where(l => l.StartsWith("##vso[task.uploadsummary]", StringComparison.Ordinal)).ToList(), Has.One.EndsWith("report.md"));
            Assert.That(lines.Where(l => !l.StartsWith("##vso[task.setvariable", StringComparison.Ordinal)), Has.None.Contain(_cluster.Token));
        });
    }

    [Test]
    public void On_Azure_Pipelines_a_refused_run_is_an_error_issue()
    {
        var run = _workspace.Run(Azure(), "--cluster=nosuch", "--target=ClusterInfo");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(Lines(run.Output).Where(l => l.StartsWith("##vso[task.logissue type=error", StringComparison.Ordinal)).ToList(), Has.One.Contain("Unknown cluster profile 'nosuch'"));
    }

    [Test]
    public void Off_a_runner_nothing_speaks_a_runner_command()
    {
        _cluster.Faults.AddHttpFault(new HttpFault { Method = "GET", PathPattern = "^/version", Status = 500, Remaining = 2 });
        var run = _workspace.Run("--cluster=test", "--target=ClusterInfo");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(Lines(run.Output + run.Error), Has.None.StartsWith("::").And.None.StartsWith("##"));
        Assert.That(run.Output + run.Error, Does.Contain("500"), "the retry warnings are plain lines");
    }

    private static List<string> Lines(string text) => text.Split('\n').Select(l => l.TrimEnd('\r', ' ')).ToList();
}

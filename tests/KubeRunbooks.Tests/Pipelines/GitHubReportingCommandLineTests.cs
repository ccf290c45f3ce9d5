using System.Text.Json;
using KubeRunbooks.Tests.Support;
using KubeRunbooks.Tests.Vantiq;

namespace KubeRunbooks.Tests.Pipelines;

/// <summary>
/// GitHub reporting through the built host (Octokit) against a loopback fake of GitHub's API at a GitHub
/// Enterprise-style base URL: a deployment per changing run with its statuses, the report on a tracking issue, an
/// issue for a failed scheduled run; GitHub's 401, 403 (rate limit) and 422 are warnings, never a failed runbook;
/// the token never printed.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class GitHubReportingCommandLineTests
{
    private const string Token = "ghs_FakeTokenForTheTests0123456789";
    private VantiqWorld _world = null!;
    private FakeGitHub _github = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _world = await VantiqWorld.StartAsync();
        _github = await FakeGitHub.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _github.DisposeAsync();
        await _world.DisposeAsync();
    }

    [SetUp]
    public void Reset()
    {
        _github.Reset();
        _world.Cluster.Faults.FailingJobs.Clear();
    }

    // What GitHub Actions sets for a step (the API URL pointing at the fake).
    private Dictionary<string, string> Actions(bool withToken = true)
    {
        var environment = new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_STEP_SUMMARY"] = Path.Combine(_world.Workspace.Folder, "summary.md"),
            ["GITHUB_REPOSITORY"] = "acme/ops",
            ["GITHUB_API_URL"] = _github.ApiUrl,
            ["GITHUB_SERVER_URL"] = "https://github.example",
            ["GITHUB_RUN_ID"] = "4242",
            ["GITHUB_SHA"] = "abc123",
        };
        if (withToken) environment["GITHUB_TOKEN"] = Token;
        return environment;
    }

    private HostRun Run(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        _world.Workspace.Run(environment, args.Prepend("--cluster=test").ToArray());

    [Test]
    public void A_changing_run_creates_a_deployment_for_the_cluster_and_moves_it_to_success_with_the_run_url()
    {
        var run = Run(Actions(), "--target=MongoBackup");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        var requests = _github.Requests;
        Assert.That(requests.Select(r => $"{r.Method} {r.Path}"), Is.EqualTo(new[]
        {
            "POST /api/v3/repos/acme/ops/deployments",
            "POST /api/v3/repos/acme/ops/deployments/101/statuses",
            "POST /api/v3/repos/acme/ops/deployments/101/statuses",
        }));
        var deployment = requests[0].Body!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)deployment["environment"], Is.EqualTo("test"));
            Assert.That((string?)deployment["ref"], Is.EqualTo("abc123"));
            Assert.That((string?)deployment["task"], Is.EqualTo("deploy:MongoBackup"));
            Assert.That((string?)requests[1].Body!["state"], Is.EqualTo("in_progress"));
            Assert.That((string?)requests[2].Body!["state"], Is.EqualTo("success"));
            Assert.That((string?)requests[2].Body!["log_url"], Is.EqualTo("https://github.example/acme/ops/actions/runs/4242"));
            Assert.That(requests.Select(r => r.Authorization), Has.All.EqualTo("token " + Token).IgnoreCase);
            Assert.That(Facts(run)["githubDeployment"], Is.EqualTo("101"));
        });
        AssertTokenNeverPrinted(run);
    }

    [Test]
    public void A_read_only_run_creates_no_deployment_but_posts_its_report_on_the_tracking_issue_given_by_options()
    {
        // Off GitHub Actions (e.g. Azure Pipelines with a GitHub token): repository and base URL as options.
        var environment = new Dictionary<string, string> { ["GITHUB_TOKEN"] = Token };
        var run = Run(environment, "--target=ClusterInfo", "--github-repository=acme/ops", "--github-api-url=" + _github.ApiUrl, "--github-issue=7");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        var comment = _github.Requests.Single();
        Assert.That($"{comment.Method} {comment.Path}", Is.EqualTo("POST /api/v3/repos/acme/ops/issues/7/comments"));
        Assert.That((string?)comment.Body!["body"], Does.Contain("ClusterInfo").And.Contain("Succeeded"));
        AssertTokenNeverPrinted(run);
    }

    [Test]
    public void A_failed_scheduled_run_moves_the_deployment_to_failure_and_opens_an_issue()
    {
        _world.Cluster.Faults.FailingJobs.Add("^mongobackup-");
        var run = Run(Actions(), "--target=MongoBackup", "--scheduled");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        var requests = _github.Requests;
        var states = requests.Where(r => r.Path.EndsWith("/statuses", StringComparison.Ordinal)).Select(r => (string?)r.Body!["state"]);
        Assert.That(states, Is.EqualTo(new[] { "in_progress", "failure" }));
        Assert.That(requests.Any(r => r.Method == "GET" && r.Path == "/api/v3/repos/acme/ops/issues" && r.Query.Contains("state=open", StringComparison.Ordinal)
            && r.Query.Contains("labels=kuberunbooks-scheduled-failure", StringComparison.Ordinal)), "the open failure issue is looked for");
        var opened = requests.Single(r => r.Method == "POST" && r.Path == "/api/v3/repos/acme/ops/issues");
        Assert.That((string?)opened.Body!["title"], Is.EqualTo("Scheduled MongoBackup failed on test"));
        Assert.That(opened.Body!["labels"]!.AsArray().Select(l => (string?)l), Is.EqualTo(new[] { "kuberunbooks-scheduled-failure" }));
        Assert.That((string?)opened.Body!["body"], Does.Contain("MongoBackup").And.Contain("https://github.example/acme/ops/actions/runs/4242"));
        Assert.That(Facts(run)["githubIssue"], Does.StartWith("#"));
        AssertTokenNeverPrinted(run);
    }

    [Test]
    public void A_failed_scheduled_run_comments_on_the_issue_still_open_instead_of_opening_another()
    {
        _world.Cluster.Faults.FailingJobs.Add("^mongobackup-");
        _github.OpenIssues.Add((12, "Scheduled MongoBackup failed on other"));
        _github.OpenIssues.Add((31, "Scheduled MongoBackup failed on test"));
        var run = Run(Actions(), "--target=MongoBackup", "--scheduled");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        Assert.That(_github.Requests.Where(r => r.Method == "POST" && r.Path == "/api/v3/repos/acme/ops/issues"), Is.Empty);
        Assert.That(_github.Requests.Count(r => r.Method == "POST" && r.Path == "/api/v3/repos/acme/ops/issues/31/comments"), Is.EqualTo(1));
        Assert.That(Facts(run)["githubIssue"], Is.EqualTo("#31"));
    }

    [Test]
    public void A_successful_scheduled_run_opens_no_issue()
    {
        var run = Run(Actions(), "--target=MongoBackup", "--scheduled");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(_github.Requests.Where(r => r.Path.Contains("/issues", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void Bad_credentials_are_a_warning_in_the_log_and_the_report_and_the_runbook_succeeds()
    {
        _github.Override = _ => GitHubAnswer.BadCredentials;
        var run = Run(Actions(), "--target=MongoBackup");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(run.Output, Does.Contain("::warning::GitHub: could not create a deployment for test: 401"));
        Assert.That(Facts(run)["github"], Does.Contain("401"));
        Assert.That(_github.Requests.Where(r => r.Path.EndsWith("/statuses", StringComparison.Ordinal)), Is.Empty, "no status for a deployment that was not created");
        AssertTokenNeverPrinted(run);
    }

    [Test]
    public void A_rate_limit_is_a_warning_naming_the_reset_and_the_runbook_succeeds()
    {
        _github.Override = _ => GitHubAnswer.RateLimited;
        var run = Run(Actions(), "--target=MongoBackup", "--github-issue=7");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(run.Output, Does.Contain("GitHub: could not create a deployment for test: rate limit exceeded (5000 requests; resets at 2030-01-01 00:00:00 UTC)"));
        Assert.That(run.Output, Does.Contain("GitHub: could not comment on issue #7: rate limit exceeded"));
        Assert.That(Facts(run)["github"], Does.Contain("rate limit exceeded"));
    }

    [Test]
    public void An_unprocessable_deployment_is_a_warning_with_GitHub_s_reason_and_the_runbook_still_fails_only_on_its_own()
    {
        _github.Override = r => r.Path.EndsWith("/deployments", StringComparison.Ordinal) ? GitHubAnswer.UnprocessableRef : null;
        _world.Cluster.Faults.FailingJobs.Add("^mongobackup-");
        var run = Run(Actions(), "--target=MongoBackup");

        Assert.That(run.ExitCode, Is.EqualTo(1), "the backup's own failure decides the exit code");
        Assert.That(run.Output, Does.Contain("GitHub: could not create a deployment for test: 422 Validation Failed; Deployment.ref: No ref found for: abc123"));
        Assert.That(_github.Requests.Where(r => r.Path.EndsWith("/statuses", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void Without_a_token_nothing_is_sent_to_GitHub()
    {
        var run = Run(Actions(withToken: false), "--target=MongoBackup", "--github-issue=7");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(_github.Requests, Is.Empty);
        Assert.That(Facts(run).ContainsKey("github"), Is.False);
    }

    [Test]
    public void A_malformed_repository_option_is_a_warning_and_nothing_is_sent()
    {
        var environment = new Dictionary<string, string> { ["GITHUB_TOKEN"] = Token };
        var run = Run(environment, "--target=ClusterInfo", "--github-repository=acme", "--github-api-url=" + _github.ApiUrl, "--github-issue=7");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(run.Output, Does.Contain("--github-repository=acme is not OWNER/NAME: nothing reported to GitHub"));
        Assert.That(_github.Requests, Is.Empty);
        AssertTokenNeverPrinted(run);
    }

    [Test]
    public void A_dry_run_creates_no_deployment()
    {
        var run = Run(Actions(), "--target=UpgradeMinor", "--to=1.31.0", "--dryrun");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(_github.Requests, Is.Empty);
    }

    private static void AssertTokenNeverPrinted(HostRun run)
    {
        var lines = (run.Output + run.Error).Split('\n').Where(l => l.Contains(Token, StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
        Assert.That(lines, Is.Empty.Or.EqualTo(new[] { "::add-mask::" + Token }), "the token is only ever given to the runner's mask");
        Assert.That(File.ReadAllText(Path.Combine(run.ReportFolder!, "report.json")), Does.Not.Contain(Token));
    }

    private static Dictionary<string, string> Facts(HostRun run)
    {
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.ReportFolder!, "report.json")));
        var facts = new Dictionary<string, string>();
        foreach (var holder in report.RootElement.GetProperty("tasks").EnumerateArray().Append(report.RootElement))
        {
            if (holder.TryGetProperty("facts", out var list))
            {
                foreach (var fact in list.EnumerateObject()) facts[fact.Name] = fact.Value.GetString() ?? "";
            }
        }

        return facts;
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeRunbooks.Tests.Pipelines;

/// <summary>A request the fake GitHub received.</summary>
public sealed record GitHubRequest(string Method, string Path, string Query, string? Authorization, JsonNode? Body);

/// <summary>What the fake answers instead of its normal reply (an error GitHub gives).</summary>
public sealed record GitHubAnswer(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>401 as GitHub words it.</summary>
    public static GitHubAnswer BadCredentials { get; } = new(401, """{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}""");

    /// <summary>403 with GitHub's rate-limit headers, the limit used up.</summary>
    public static GitHubAnswer RateLimited { get; } = new(403,
        """{"message":"API rate limit exceeded for installation ID 1.","documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting","status":"403"}""",
        new Dictionary<string, string> { ["X-RateLimit-Limit"] = "5000", ["X-RateLimit-Remaining"] = "0", ["X-RateLimit-Used"] = "5000", ["X-RateLimit-Reset"] = "1893456000", ["X-RateLimit-Resource"] = "core" });

    /// <summary>422 as GitHub answers an unknown ref on a deployment.</summary>
    public static GitHubAnswer UnprocessableRef { get; } = new(422,
        """{"message":"Validation Failed","errors":[{"resource":"Deployment","field":"ref","code":"invalid","message":"No ref found for: abc123"}],"documentation_url":"https://docs.github.com/rest/deployments/deployments#create-a-deployment","status":"422"}""");
}

/// <summary>
/// GitHub's REST API as far as the run reporter uses it, served by ASP.NET Core on 127.0.0.1 (ephemeral port) under
/// <c>/api/v3/</c> as GitHub Enterprise serves it: repositories, deployments and their statuses, issues and
/// comments. Records every request; <see cref="Override"/> makes it answer an error instead.
/// </summary>
public sealed class FakeGitHub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<GitHubRequest> _requests = new();
    private int _ids = 100;

    private FakeGitHub(WebApplication app) => _app = app;

    /// <summary>The API base URL (<c>http://127.0.0.1:PORT/api/v3/</c>).</summary>
    public string ApiUrl { get; private set; } = "";

    /// <summary>Every request so far, in order.</summary>
    public IReadOnlyList<GitHubRequest> Requests => _requests.ToList();

    /// <summary>The open issues the issue list answers (number, title).</summary>
    public List<(int Number, string Title)> OpenIssues { get; } = [];

    /// <summary>When set and returning an answer, that answer replaces the normal reply.</summary>
    public Func<GitHubRequest, GitHubAnswer?>? Override { get; set; }

    /// <summary>Starts the server.</summary>
    public static async Task<FakeGitHub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeGitHub(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.ApiUrl = address.TrimEnd('/') + "/api/v3/";
        return fake;
    }

    /// <summary>Forgets the requests, the open issues and the override.</summary>
    public void Reset()
    {
        _requests.Clear();
        OpenIssues.Clear();
        Override = null;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var text = await new StreamReader(http.Request.Body).ReadToEndAsync();
        var request = new GitHubRequest(http.Request.Method, http.Request.Path.Value ?? "", http.Request.QueryString.Value ?? "",
            http.Request.Headers.Authorization.FirstOrDefault(), text.Length > 0 ? JsonNode.Parse(text) : null);
        _requests.Enqueue(request);
        var answer = Override?.Invoke(request) ?? Answer(request);
        http.Response.StatusCode = answer.Status;
        http.Response.ContentType = "application/json; charset=utf-8";
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>()) http.Response.Headers[name] = value;
        await http.Response.WriteAsync(answer.Body);
    }

    private static string IssueJson((int Number, string Title) issue) =>
        new JsonObject
        {
            ["id"] = issue.Number,
            ["number"] = issue.Number,
            ["title"] = issue.Title,
            ["state"] = "open",
            ["labels"] = new JsonArray(new JsonObject { ["name"] = "kuberunbooks-scheduled-failure" }),
        }.ToJsonString();

    // The normal replies, with the fields Octokit reads.
    private GitHubAnswer Answer(GitHubRequest request)
    {
        var parts = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts is not ["api", "v3", "repos", var owner, var repo, .. var rest])
        {
            return new GitHubAnswer(404, """{"message":"Not Found"}""");
        }

        var id = Interlocked.Increment(ref _ids);
        var repository = $$"""{"id":1,"name":"{{repo}}","full_name":"{{owner}}/{{repo}}","default_branch":"main","owner":{"login":"{{owner}}","id":1} }""";
        return (request.Method, rest) switch
        {
            ("GET", []) => new GitHubAnswer(200, repository),
            ("POST", ["deployments"]) => new GitHubAnswer(201, $$"""{"id":{{id}},"ref":"{{request.Body?["ref"]}}","environment":"{{request.Body?["environment"]}}","task":"deploy"}"""),
            ("POST", ["deployments", var deployment, "statuses"]) => new GitHubAnswer(201, $$"""{"id":{{id}},"state":"{{request.Body?["state"]}}","deployment_url":"x/{{deployment}}"}"""),
            ("GET", ["issues"]) => new GitHubAnswer(200, "[" + string.Join(",", OpenIssues.Select(IssueJson)) + "]"),
            ("POST", ["issues"]) => new GitHubAnswer(201, $$"""{"id":{{id}},"number":{{id}},"title":{{request.Body?["title"]?.ToJsonString()}},"state":"open"}"""),
            ("POST", ["issues", var number, "comments"]) => new GitHubAnswer(201, $$"""{"id":{{id}},"body":"ok","html_url":"https://github.example/{{owner}}/{{repo}}/issues/{{number}}#issuecomment-{{id}}"}"""),
            _ => new GitHubAnswer(404, """{"message":"Not Found"}"""),
        };
    }
}

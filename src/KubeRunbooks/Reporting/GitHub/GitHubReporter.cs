using System.Collections.ObjectModel;
using Octokit;

namespace KubeRunbooks.Reporting.GitHub;

/// <summary>
/// The GitHub side of a run, on Octokit: a deployment for the cluster and its statuses, the report as an issue
/// comment, and an issue for a failed scheduled run. No call throws: a GitHub error (401, 403 rate limit, 422,
/// a network failure) becomes a warning line in <see cref="Warnings"/>, masked, and the runbook goes on.
/// </summary>
public sealed class GitHubReporter(IGitHubClient client, GitHubSettings settings, SecretMasker masker)
{
    /// <summary>The label of the issues opened for failed scheduled runs (how the open one is found again).</summary>
    public const string FailureLabel = "kuberunbooks-scheduled-failure";

    // GitHub refuses comment bodies over 65536 characters.
    private const int MaxBody = 60000;

    private readonly List<string> _warnings = [];

    /// <summary>What went wrong talking to GitHub, one line each.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Creates a deployment of <paramref name="target"/> to the environment <paramref name="cluster"/>; its id, or null.</summary>
    public async Task<long?> StartDeploymentAsync(string cluster, string target, bool production)
    {
        var reference = settings.Ref;
        if (reference is null)
        {
            var repository = await CallAsync("read the repository's default branch", () => client.Repository.Get(settings.Owner, settings.Repository)).ConfigureAwait(false);
            reference = repository?.DefaultBranch;
            if (reference is null) return null;
        }

        var deployment = new NewDeployment(reference)
        {
            Environment = cluster,
            Task = "deploy:" + target,
            Description = $"{target} on {cluster} (KubeRunbooks)",
            AutoMerge = false,
            // The runbook is the check: GitHub must not refuse the deployment for commit statuses.
            RequiredContexts = new Collection<string>(),
            ProductionEnvironment = production,
        };
        var created = await CallAsync($"create a deployment for {cluster}", () => client.Repository.Deployment.Create(settings.Owner, settings.Repository, deployment)).ConfigureAwait(false);
        return created?.Id;
    }

    /// <summary>Moves the deployment to <paramref name="state"/>, with the run's URL.</summary>
    public Task SetDeploymentStateAsync(long deploymentId, DeploymentState state, string description) =>
        CallAsync($"set the deployment status to {state}", () => client.Repository.Deployment.Status.Create(settings.Owner, settings.Repository, deploymentId,
            new NewDeploymentStatus(state) { LogUrl = settings.RunUrl, Description = Truncate(description, 140) }));

    /// <summary>Posts <paramref name="markdown"/> as a comment on issue <paramref name="number"/>.</summary>
    public Task CommentAsync(int number, string markdown) =>
        CallAsync($"comment on issue #{number}", () => client.Issue.Comment.Create(settings.Owner, settings.Repository, number, Body(markdown)));

    /// <summary>
    /// For a failed scheduled run: comments on the open issue labelled <see cref="FailureLabel"/> with the same
    /// title, or opens one. Returns the issue's number, or null when GitHub refused.
    /// </summary>
    public async Task<int?> ReportScheduledFailureAsync(string title, string markdown)
    {
        var request = new RepositoryIssueRequest { State = ItemStateFilter.Open };
        request.Labels.Add(FailureLabel);
        var open = await CallAsync("list the open failure issues", () => client.Issue.GetAllForRepository(settings.Owner, settings.Repository, request, new ApiOptions { PageSize = 100, PageCount = 1 })).ConfigureAwait(false);
        if (open is null) return null;

        var existing = open.FirstOrDefault(i => i.PullRequest is null && string.Equals(i.Title, title, StringComparison.Ordinal));
        if (existing is not null)
        {
            var comment = await CallAsync($"comment on issue #{existing.Number}", () => client.Issue.Comment.Create(settings.Owner, settings.Repository, existing.Number, Body(markdown))).ConfigureAwait(false);
            return comment is null ? null : existing.Number;
        }

        var issue = new NewIssue(title) { Body = Body(markdown) };
        issue.Labels.Add(FailureLabel);
        var created = await CallAsync("open an issue", () => client.Issue.Create(settings.Owner, settings.Repository, issue)).ConfigureAwait(false);
        return created?.Number;
    }

    private async Task<T?> CallAsync<T>(string what, Func<Task<T>> call) where T : class
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is ApiException or HttpRequestException or TaskCanceledException or TimeoutException)
        {
            _warnings.Add(masker.Mask($"GitHub: could not {what}: {Describe(e)}") ?? string.Empty);
            return null;
        }
    }

    private async Task CallAsync(string what, Func<Task> call) =>
        await CallAsync<object>(what, async () => { await call().ConfigureAwait(false); return new object(); }).ConfigureAwait(false);

    private static string Describe(Exception e) => e switch
    {
        RateLimitExceededException limit => $"rate limit exceeded ({limit.Limit} requests; resets at {limit.Reset.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC)",
        AuthorizationException => "401 Unauthorized (is the token valid?)",
        ApiValidationException validation => $"422 {validation.Message}{string.Concat(validation.ApiError?.Errors?.Select(x => $"; {x.Resource}.{x.Field}: {x.Message ?? x.Code}") ?? [])}",
        ForbiddenException forbidden => $"403 Forbidden: {forbidden.Message} (does the token have the permission?)",
        ApiException api => $"{(int)api.StatusCode} {api.Message}",
        TaskCanceledException or TimeoutException => $"no answer within {GitHubClientFactory.Timeout.TotalSeconds:0} s",
        _ => e.Message,
    };

    private static string Body(string markdown) =>
        markdown.Length <= MaxBody ? markdown : markdown[..MaxBody] + "\n\n(report cut: the whole report is in the run's artifacts)";

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}

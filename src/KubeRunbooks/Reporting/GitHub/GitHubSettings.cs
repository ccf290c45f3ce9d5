using Cake.Common;
using Cake.Common.Build;
using Cake.Core;

namespace KubeRunbooks.Reporting.GitHub;

/// <summary>
/// Where and how a run reports to GitHub: the token (environment only, never an argument), the repository, the
/// API's base URL (GitHub Enterprise: <c>https://HOST/api/v3/</c>), the ref deployments name, the run's URL, the
/// tracking issue and whether the run is a scheduled one. On GitHub Actions the runner's own values (read through
/// Cake.Common's build-system aliases) are the defaults; options override them.
/// </summary>
public sealed record GitHubSettings
{
    /// <summary>Environment variable holding the token (GitHub Actions: <c>secrets.GITHUB_TOKEN</c>).</summary>
    public const string TokenVariable = "GITHUB_TOKEN";

    /// <summary>Option naming the repository, <c>--github-repository=OWNER/NAME</c>.</summary>
    public const string RepositoryArgument = "github-repository";

    /// <summary>Option giving the API base URL, <c>--github-api-url=URL</c>.</summary>
    public const string ApiUrlArgument = "github-api-url";

    /// <summary>Option naming the issue the report is posted to, <c>--github-issue=N</c>.</summary>
    public const string IssueArgument = "github-issue";

    /// <summary>Option marking a scheduled run, <c>--scheduled</c>: its failure opens or updates an issue.</summary>
    public const string ScheduledArgument = "scheduled";

    /// <summary>The token (registered with the secret masker when read).</summary>
    public required string Token { get; init; }

    /// <summary>The repository owner.</summary>
    public required string Owner { get; init; }

    /// <summary>The repository name.</summary>
    public required string Repository { get; init; }

    /// <summary>The API base URL; null for api.github.com.</summary>
    public Uri? ApiUrl { get; init; }

    /// <summary>The commit or branch a deployment names; null: the repository's default branch.</summary>
    public string? Ref { get; init; }

    /// <summary>The URL of this run (the workflow run on GitHub Actions), shown on deployment statuses; may be null.</summary>
    public string? RunUrl { get; init; }

    /// <summary>The issue the run report is posted to as a comment, or null.</summary>
    public int? TrackingIssue { get; init; }

    /// <summary>True for a scheduled run (<c>--scheduled</c>).</summary>
    public bool Scheduled { get; init; }

    /// <summary>
    /// The settings of this run, or null when no token or no repository is known (then nothing is reported to
    /// GitHub). A malformed option is a warning in <paramref name="problems"/>, never a failure of the run.
    /// </summary>
    public static GitHubSettings? From(ICakeContext context, SecretMasker masker, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(masker);
        ArgumentNullException.ThrowIfNull(problems);
        var token = context.EnvironmentVariable(TokenVariable);
        if (string.IsNullOrWhiteSpace(token))
        {
            return null;
        }

        masker.Register(token);
        var actions = context.BuildSystem().IsRunningOnGitHubActions ? context.BuildSystem().GitHubActions.Environment.Workflow : null;
        var repository = Argument(context, RepositoryArgument) ?? actions?.Repository;
        var parts = repository?.Split('/') ?? [];
        if (parts is not [{ Length: > 0 } owner, { Length: > 0 } name])
        {
            if (repository is not null) problems.Add($"--{RepositoryArgument}={repository} is not OWNER/NAME: nothing reported to GitHub");
            return null;
        }

        Uri? apiUrl = null;
        if ((Argument(context, ApiUrlArgument) ?? actions?.ApiUrl) is { Length: > 0 } apiText
            && !Uri.TryCreate(apiText.EndsWith('/') ? apiText : apiText + "/", UriKind.Absolute, out apiUrl))
        {
            problems.Add($"--{ApiUrlArgument}={apiText} is not an absolute URL: nothing reported to GitHub");
            return null;
        }

        int? issue = null;
        if (Argument(context, IssueArgument) is { Length: > 0 } issueText)
        {
            if (int.TryParse(issueText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number > 0) issue = number;
            else problems.Add($"--{IssueArgument}={issueText} is not an issue number: the report is not posted");
        }

        return new GitHubSettings
        {
            Token = token,
            Owner = owner,
            Repository = name,
            ApiUrl = apiUrl,
            Ref = actions?.Sha is { Length: > 0 } sha ? sha : null,
            RunUrl = actions is { ServerUrl.Length: > 0, RunId.Length: > 0 } ? $"{actions.ServerUrl.TrimEnd('/')}/{repository}/actions/runs/{actions.RunId}" : null,
            TrackingIssue = issue,
            Scheduled = context.Arguments.HasArgument(ScheduledArgument),
        };
    }

    private static string? Argument(ICakeContext context, string name) =>
        context.Arguments.HasArgument(name) ? context.Arguments.GetArguments(name).LastOrDefault() : null;
}

using Octokit;

namespace KubeRunbooks.Reporting.GitHub;

/// <summary>Builds Octokit's client for <see cref="GitHubSettings"/>: token, base URL (GitHub Enterprise) and a short timeout.</summary>
public static class GitHubClientFactory
{
    /// <summary>How long one GitHub call may take: a slow GitHub must not hold a runbook's end.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>A client authenticated with the settings' token.</summary>
    public static IGitHubClient Create(GitHubSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var product = new ProductHeaderValue("KubeRunbooks");
        var client = settings.ApiUrl is { } url ? new GitHubClient(product, url) : new GitHubClient(product);
        client.Credentials = new Credentials(settings.Token);
        client.SetRequestTimeout(Timeout);
        return client;
    }
}

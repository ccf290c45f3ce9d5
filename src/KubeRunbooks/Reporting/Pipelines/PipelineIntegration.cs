using Cake.Common.Build;
using Cake.Core;
using Microsoft.Extensions.DependencyInjection;

namespace KubeRunbooks.Reporting.Pipelines;

/// <summary>
/// What a run tells the CI runner it runs on (detected by Cake.Common's build-system aliases): secrets to mask in
/// the runner's own log, a log group per task, errors and warnings as annotations, and the run report as the step /
/// task summary. Nothing happens outside GitHub Actions and Azure Pipelines.
/// </summary>
public static class PipelineIntegration
{
    /// <summary>The runner this process runs on, or null on a laptop or another CI system.</summary>
    public static IRunnerCommands? Detect(ICakeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var buildSystem = context.BuildSystem();
        if (buildSystem.IsRunningOnGitHubActions)
        {
            return new GitHubActionsRunner(buildSystem.GitHubActions);
        }

        return buildSystem.IsRunningOnAzurePipelines ? new AzurePipelinesRunner(buildSystem.AzurePipelines) : null;
    }

    /// <summary>
    /// On a runner: every secret the masker learns from now on is masked by the runner too, and each task's output
    /// becomes a log group. With a GitHub token, the run is reported to GitHub (<see cref="GitHub.GitHubRunReporter"/>,
    /// when the host registered it). Call once, when the run's context is built (before the first task).
    /// </summary>
    public static void Attach(ICakeContext context, SecretMasker masker)
    {
        ArgumentNullException.ThrowIfNull(masker);
        context.ServiceProvider?.GetService<GitHub.GitHubRunReporter>()?.Attach(context);
        if (Detect(context) is not { } runner)
        {
            return;
        }

        masker.Registered += runner.Mask;
        TaskLogGroups.Attach(context, runner);
    }

    /// <summary>Publishes the run report (Markdown) as the GitHub step summary or the Azure task summary.</summary>
    public static void PublishSummary(ICakeContext context, string markdownPath) => Detect(context)?.PublishSummary(markdownPath);
}

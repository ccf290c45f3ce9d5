using Cake.Common.Build;
using Cake.Core;
using Cake.Core.IO;

namespace KubeRunbooks.Reporting.Pipelines;

/// <summary>
/// What a run tells the CI runner it runs on (detected by Cake.Common's build-system aliases):
/// secrets to mask in the runner's own log, and the run report as the step / task summary.
/// Nothing happens outside GitHub Actions and Azure Pipelines.
/// </summary>
public static class PipelineIntegration
{
    /// <summary>Asks the runner to mask every secret the masker learns from now on.</summary>
    public static void MaskSecretsOnRunner(ICakeContext context, SecretMasker masker)
    {
        var buildSystem = context.BuildSystem();
        if (buildSystem.IsRunningOnGitHubActions)
        {
            masker.Registered += secret => buildSystem.GitHubActions.Commands.SetSecret(secret);
        }
        else if (buildSystem.IsRunningOnAzurePipelines)
        {
            var count = 0;
            masker.Registered += secret =>
                buildSystem.AzurePipelines.Commands.SetSecretVariable($"KUBERUNBOOKS_SECRET_{Interlocked.Increment(ref count)}", secret);
        }
    }

    /// <summary>Publishes the run report (Markdown) as the GitHub step summary or the Azure task summary.</summary>
    public static void PublishSummary(ICakeContext context, string markdownPath)
    {
        var buildSystem = context.BuildSystem();
        if (buildSystem.IsRunningOnGitHubActions)
        {
            buildSystem.GitHubActions.Commands.SetStepSummary(File.ReadAllText(markdownPath));
        }
        else if (buildSystem.IsRunningOnAzurePipelines)
        {
            buildSystem.AzurePipelines.Commands.UploadTaskSummary(new FilePath(markdownPath));
        }
    }
}

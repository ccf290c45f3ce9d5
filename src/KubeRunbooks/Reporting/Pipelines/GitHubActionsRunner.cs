using Cake.Common.Build.GitHubActions;
using Cake.Common.Build.GitHubActions.Data;

namespace KubeRunbooks.Reporting.Pipelines;

/// <summary>GitHub Actions' workflow commands, through Cake.Common's <see cref="IGitHubActionsProvider"/>.</summary>
internal sealed class GitHubActionsRunner(IGitHubActionsProvider provider) : IRunnerCommands
{
    public string Name => "GitHub Actions";

    public void StartGroup(string title) => provider.Commands.StartGroup(title);

    public void EndGroup() => provider.Commands.EndGroup();

    public void Annotate(RunnerAnnotation annotation)
    {
        var where = new GitHubActionsAnnotation { File = annotation.File, StartLine = annotation.Line };
        if (annotation.IsError)
        {
            provider.Commands.Error(annotation.Message, where);
        }
        else
        {
            provider.Commands.Warning(annotation.Message, where);
        }
    }

    public void Mask(string secret) => provider.Commands.SetSecret(secret);

    public void PublishSummary(string markdownPath) => provider.Commands.SetStepSummary(File.ReadAllText(markdownPath));
}

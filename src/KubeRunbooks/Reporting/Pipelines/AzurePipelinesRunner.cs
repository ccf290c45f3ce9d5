using Cake.Common.Build.AzurePipelines;
using Cake.Common.Build.AzurePipelines.Data;
using Cake.Core.IO;

namespace KubeRunbooks.Reporting.Pipelines;

/// <summary>Azure Pipelines' logging commands, through Cake.Common's <see cref="IAzurePipelinesProvider"/>.</summary>
internal sealed class AzurePipelinesRunner(IAzurePipelinesProvider provider) : IRunnerCommands
{
    private int _secrets;

    public string Name => "Azure Pipelines";

    public void StartGroup(string title) => provider.Commands.BeginGroup(title);

    public void EndGroup() => provider.Commands.EndGroup();

    public void Annotate(RunnerAnnotation annotation)
    {
        var where = new AzurePipelinesMessageData { SourcePath = annotation.File, LineNumber = annotation.Line };
        if (annotation.IsError)
        {
            provider.Commands.WriteError(annotation.Message, where);
        }
        else
        {
            provider.Commands.WriteWarning(annotation.Message, where);
        }
    }

    // Azure masks the value of every secret variable in the rest of the job's log.
    public void Mask(string secret) =>
        provider.Commands.SetSecretVariable($"KUBERUNBOOKS_SECRET_{Interlocked.Increment(ref _secrets)}", secret);

    public void PublishSummary(string markdownPath) => provider.Commands.UploadTaskSummary(new FilePath(markdownPath));
}

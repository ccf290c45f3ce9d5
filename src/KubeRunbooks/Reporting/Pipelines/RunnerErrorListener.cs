using Cake.Core;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Reporting.Pipelines;

/// <summary>
/// On a runner, the one <c>error:</c> line of a refused run (bad input, exit 2; lock held, exit 3), which the host
/// writes to stderr rather than to Cake's log, also becomes an error annotation (with the file and line of a
/// profile error). A failed step is already annotated through <see cref="RunnerCakeLog"/>.
/// </summary>
public sealed class RunnerErrorListener(RunbookSession session, ICakeContext context) : IRunListener
{
    /// <inheritdoc />
    public void OnRunFinished(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.ExitCode is not (ExitCode.InvalidInput or ExitCode.LockHeld) || result.Exception is null)
        {
            return;
        }

        if (PipelineIntegration.Detect(context) is { } runner)
        {
            var message = session.Masker.Mask(result.Exception.Message.ReplaceLineEndings(" ")) ?? string.Empty;
            runner.Annotate(RunnerAnnotation.From(isError: true, message));
        }
    }
}

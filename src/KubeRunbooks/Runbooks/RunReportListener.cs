using Cake.Core;
using KubeRunbooks.Frosting;
using KubeRunbooks.Reporting.Pipelines;

namespace KubeRunbooks.Runbooks;

/// <summary>
/// Completes the run report with the exit code, publishes it as the CI step summary, prints its
/// folder, and stops the embedded cluster.
/// Runs after Cake's summary table, also when a task failed.
/// </summary>
public sealed class RunReportListener(RunbookSession session, ICakeContext context) : IRunListener
{
    /// <inheritdoc />
    public void OnRunFinished(RunResult result)
    {
        try
        {
            if (session.Journal is { } journal)
            {
                if (result.Exception is not null && result.FailedTask is null)
                {
                    journal.RecordFact("error", session.Masker.Mask(result.Exception.Message) ?? string.Empty);
                }

                var folder = journal.Complete(result.ExitCode);
                PipelineIntegration.PublishSummary(context, journal.MarkdownPath);
                Console.WriteLine($"Run report: {folder}");
            }
        }
        finally
        {
            session.LocalCluster?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            session.LocalCluster = null;
        }
    }
}

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
            ReleaseLock();
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
            ReleaseLock();
            session.LocalCluster?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            session.LocalCluster = null;
        }
    }

    // The lock is released before the report is completed, so a pipeline's next stage finds it free.
    private void ReleaseLock()
    {
        if (session.ClusterLock is not { } held) return;
        session.ClusterLock = null;
        try
        {
            held.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException or OperationCanceledException)
        {
            Console.Error.WriteLine(session.Masker.Mask($"warning: the cluster lock could not be released ({e.Message}); it expires by itself."));
        }
    }
}

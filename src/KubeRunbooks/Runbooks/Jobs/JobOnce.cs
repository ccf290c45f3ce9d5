using k8s.Models;
using KubeRunbooks.Kubernetes.Jobs;

namespace KubeRunbooks.Runbooks.Jobs;

/// <summary>
/// A Job run once per operation: the name is recorded (in the operation's ledger) before the Job is created, so a
/// rerun that finds it follows it (or finds it finished) instead of creating a second one; with no such Job a new one
/// is made, recorded, created and followed (its log, then Complete or Failed: <see cref="JobFailedException"/>).
/// </summary>
public sealed class JobOnce
{
    private readonly JobRunner _jobs;

    /// <summary>Runs Jobs through <paramref name="jobs"/>.</summary>
    public JobOnce(JobRunner jobs) => _jobs = jobs;

    /// <summary>Follows the recorded Job when it exists, else records and runs a new one.</summary>
    /// <param name="ns">The Jobs' namespace.</param>
    /// <param name="recorded">The Job this operation already recorded, or null.</param>
    /// <param name="newName">The name of a new Job.</param>
    /// <param name="build">Makes the new Job of that name (e.g. from a CronJob's template).</param>
    /// <param name="record">Records the new Job's name before it is created (null: not recorded, e.g. a scheduled run).</param>
    /// <param name="lineSink">Receives the Job's log lines.</param>
    /// <param name="timeout">The limit for the whole Job.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <param name="onReuse">Told the recorded Job's name before it is followed (for the log).</param>
    /// <returns>The result, and whether an existing Job was followed.</returns>
    public async Task<(JobResult Result, bool Reused)> RunAsync(string ns, string? recorded, string newName, Func<string, Task<V1Job>> build,
        Func<string, Task>? record, Action<string> lineSink, TimeSpan timeout, CancellationToken cancellationToken = default, Action<string>? onReuse = null)
    {
        if (recorded is not null && await _jobs.ExistsAsync(ns, recorded, cancellationToken).ConfigureAwait(false))
        {
            onReuse?.Invoke(recorded);
            return (await _jobs.FollowAsync(ns, recorded, lineSink, timeout, cancellationToken).ConfigureAwait(false), true);
        }

        var job = await build(newName).ConfigureAwait(false);
        if (record is not null) await record(newName).ConfigureAwait(false);
        return (await _jobs.RunAsync(job, lineSink, timeout, cancellationToken).ConfigureAwait(false), false);
    }
}

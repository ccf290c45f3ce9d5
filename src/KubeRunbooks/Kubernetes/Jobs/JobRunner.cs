using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeRunbooks.Kubernetes.Containers;
using KubeRunbooks.Kubernetes.Watching;

namespace KubeRunbooks.Kubernetes.Jobs;

/// <summary>
/// Creates a Job (usually from a CronJob template), follows its pod's log into a line sink, and waits by
/// watch for Complete or Failed. A Failed Job raises <see cref="JobFailedException"/> with the log tail.
/// </summary>
public sealed class JobRunner
{
    private readonly IKubernetes _client;
    private readonly Action<string> _log;
    private readonly PodLogFollower _logs;

    /// <summary>Creates the runner.</summary>
    /// <param name="client">The Kubernetes client.</param>
    /// <param name="log">Progress lines (not the Job's log, which goes to the sink given per call).</param>
    public JobRunner(IKubernetes client, Action<string>? log = null)
    {
        _client = client;
        _log = log ?? (_ => { });
        _logs = new PodLogFollower(client);
    }

    /// <summary>The timeoutSeconds of each watch request.</summary>
    public int WatchTimeoutSeconds { get; init; } = 60;

    /// <summary>How many log lines a failure keeps.</summary>
    public int TailLines { get; init; } = 50;

    /// <summary>Reads a CronJob; a missing one raises a one-line <see cref="InvalidDataException"/>.</summary>
    public async Task<V1CronJob> ReadCronJobAsync(string ns, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _client.BatchV1.ReadNamespacedCronJobAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            throw new InvalidDataException($"cronjob {ns}/{name} does not exist.");
        }
    }

    /// <summary>True when the Job exists.</summary>
    public async Task<bool> ExistsAsync(string ns, string jobName, CancellationToken cancellationToken = default)
    {
        try
        {
            await _client.BatchV1.ReadNamespacedJobAsync(jobName, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Creates the Job and runs it to its end (see <see cref="FollowAsync"/>).</summary>
    /// <param name="job">The Job, with its namespace set.</param>
    /// <param name="lineSink">Receives each line of the pod's log.</param>
    /// <param name="timeout">The limit for the whole run; the message names the Job.</param>
    /// <param name="cancellationToken">Cancels the wait (the Job itself keeps running).</param>
    public async Task<JobResult> RunAsync(V1Job job, Action<string> lineSink, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var ns = job.Metadata.NamespaceProperty ?? throw new ArgumentException("The Job has no namespace.", nameof(job));
        _log($"Creating job {ns}/{job.Metadata.Name}.");
        await _client.BatchV1.CreateNamespacedJobAsync(job, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await FollowAsync(ns, job.Metadata.Name, lineSink, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Follows an existing Job (also after a restart of the tool): waits by watch for its pod's container to
    /// start, streams that log to <paramref name="lineSink"/>, then waits by watch for the Complete or Failed condition.
    /// </summary>
    public async Task<JobResult> FollowAsync(string ns, string jobName, Action<string> lineSink, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var started = DateTimeOffset.UtcNow;
        var tail = new LineTail(TailLines);
        V1JobCondition? end = null;

        // A quick Job may have finished already (and a resumed run may find its pods gone): show what log its pod
        // left, if any, and decide from the Job.
        var current = await _client.BatchV1.ReadNamespacedJobAsync(jobName, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (Finished(current) is { } done)
            return Conclude(ns, jobName, done, await FollowLeftoverLogAsync(ns, jobName, lineSink, tail, timeout, started, cancellationToken).ConfigureAwait(false), tail);

        // The Job's condition is watched from the start: a Job that fails before any pod starts (deadline,
        // image pull) ends the wait at once instead of at the timeout.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var jobs = new WatchLoop<V1Job>(JobSource(ns, jobName)) { WatchTimeoutSeconds = WatchTimeoutSeconds };
        var jobTask = jobs.WaitAsync(j => j.TryGetValue(jobName, out var job) && (end = Finished(job)) is not null,
            $"job {ns}/{jobName} to finish", timeout,
            j => j.TryGetValue(jobName, out var job) ? $"active {job.Status?.Active ?? 0}, failed {job.Status?.Failed ?? 0}" : "job absent",
            stop.Token);
        var pods = new WatchLoop<V1Pod>(PodSource(ns, jobName)) { WatchTimeoutSeconds = WatchTimeoutSeconds };
        var podTask = pods.WaitAsync(p => p.Values.Any(PodStarted), $"a pod of job {ns}/{jobName} to start", timeout,
            p => p.Count == 0 ? "no pod" : string.Join(", ", p.Values.Select(x => $"{x.Metadata.Name} {x.Status?.Phase}")), stop.Token);
        try
        {
            string? podName = null;
            var first = await Task.WhenAny(podTask, jobTask).ConfigureAwait(false);
            if (first == jobTask && jobTask.IsFaulted) await jobTask.ConfigureAwait(false); // raises its timeout or error
            if (first == podTask)
            {
                var seen = await podTask.ConfigureAwait(false);
                podName = await FollowLatestPodAsync(ns, jobName, seen.Values, lineSink, tail, timeout, started, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // The Job ended before a started pod was seen: show what log its pod left, if any.
                await jobTask.ConfigureAwait(false);
                podName = await FollowLeftoverLogAsync(ns, jobName, lineSink, tail, timeout, started, cancellationToken).ConfigureAwait(false);
            }
            await jobTask.ConfigureAwait(false);
            return Conclude(ns, jobName, end!, podName, tail);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(podTask, jobTask).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false); // observe both
        }
    }

    private async Task<string?> FollowLeftoverLogAsync(string ns, string jobName, Action<string> lineSink, LineTail tail, TimeSpan timeout, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var list = await _client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"job-name={jobName}", cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!list.Items.Any(PodStarted)) return null;
        try
        {
            return await FollowLatestPodAsync(ns, jobName, list.Items, lineSink, tail, timeout, started, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
        {
            // The Job has ended: its log is only for the record, and a node may have dropped it (restart, GC).
            _log($"The log of job {ns}/{jobName} is no longer available ({(int)e.Response.StatusCode}).");
            return null;
        }
    }

    private async Task<string> FollowLatestPodAsync(string ns, string jobName, IEnumerable<V1Pod> candidates, Action<string> lineSink, LineTail tail, TimeSpan timeout, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var pod = candidates.Where(PodStarted).OrderBy(p => p.Metadata.CreationTimestamp ?? DateTime.MinValue).Last();
        var podName = pod.Metadata.Name;
        var container = pod.Spec?.Containers?.FirstOrDefault()?.Name ?? throw new InvalidDataException($"pod {ns}/{podName} has no container.");
        _log($"Following the log of pod {ns}/{podName}.");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Remaining(timeout, started));
        try
        {
            await _logs.FollowAsync(ns, podName, container, lineSink, tail, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new WaitTimeoutException($"Timed out after {WatchLoop<V1Job>.Format(timeout)} waiting for job {ns}/{jobName} to finish (its log was still open).");
        }
        return podName;
    }

    private JobResult Conclude(string ns, string jobName, V1JobCondition end, string? podName, LineTail tail)
    {
        if (end.Type == "Failed")
            throw new JobFailedException(jobName, string.IsNullOrWhiteSpace(end.Message) ? end.Reason ?? "Failed" : $"{end.Reason}: {end.Message}", tail.Lines);
        _log($"Job {ns}/{jobName} completed.");
        return new JobResult(ns, jobName, podName, tail.Lines);
    }

    /// <summary>The Job's Complete or Failed condition when one is True, else null.</summary>
    public static V1JobCondition? Finished(V1Job job) =>
        job.Status?.Conditions?.FirstOrDefault(c => (c.Type == "Complete" || c.Type == "Failed") && c.Status == "True");

    private static bool PodStarted(V1Pod pod) =>
        pod.Status?.Phase is "Running" or "Succeeded" or "Failed"
        || pod.Status?.ContainerStatuses?.Any(c => c.State?.Running is not null || c.State?.Terminated is not null) == true;

    private static TimeSpan Remaining(TimeSpan timeout, DateTimeOffset started)
    {
        var left = timeout - (DateTimeOffset.UtcNow - started);
        return left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1);
    }

    private WatchSource<V1Pod> PodSource(string ns, string jobName)
    {
        // The Job controller labels its pods job-name=NAME on every Kubernetes version.
        var selector = $"job-name={jobName}";
        return new(
            async ct =>
            {
                var list = await _client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector, cancellationToken: ct).ConfigureAwait(false);
                return (list.Items.ToList(), list.Metadata?.ResourceVersion);
            },
            (rv, seconds, onError, ct) => _client.CoreV1.WatchListNamespacedPodAsync(ns, allowWatchBookmarks: true, labelSelector: selector,
                resourceVersion: rv, timeoutSeconds: seconds, onError: onError, cancellationToken: ct));
    }

    private WatchSource<V1Job> JobSource(string ns, string jobName)
    {
        var field = $"metadata.name={jobName}";
        return new(
            async ct =>
            {
                var list = await _client.BatchV1.ListNamespacedJobAsync(ns, fieldSelector: field, cancellationToken: ct).ConfigureAwait(false);
                return (list.Items.ToList(), list.Metadata?.ResourceVersion);
            },
            (rv, seconds, onError, ct) => _client.BatchV1.WatchListNamespacedJobAsync(ns, allowWatchBookmarks: true, fieldSelector: field,
                resourceVersion: rv, timeoutSeconds: seconds, onError: onError, cancellationToken: ct));
    }
}

using k8s.Models;

namespace KubeRunbooks.Kubernetes.Jobs;

/// <summary>"Is this a completed Job of that CronJob": what makes a Job a usable run of a CronJob (a backup, for instance).</summary>
public static class CronJobRuns
{
    /// <summary>True when <paramref name="job"/> was made from CronJob <paramref name="cronJob"/> (owner reference, as <c>kubectl create job --from</c> and the controller set it).</summary>
    public static bool IsRunOf(V1Job job, string cronJob) =>
        job.Metadata?.OwnerReferences?.Any(o => o.Kind == "CronJob" && o.Name == cronJob) == true;

    /// <summary>True when <paramref name="job"/> ended Complete.</summary>
    public static bool IsComplete(V1Job job) => JobRunner.Finished(job) is { Type: "Complete" };

    /// <summary>True when <paramref name="job"/> is a completed run of <paramref name="cronJob"/>.</summary>
    public static bool IsCompletedRunOf(V1Job job, string cronJob) => IsRunOf(job, cronJob) && IsComplete(job);

    /// <summary>The Job's state for messages: <c>Complete</c>, <c>Failed</c> or <c>still running</c>.</summary>
    public static string StateOf(V1Job job) => JobRunner.Finished(job)?.Type ?? "still running";
}

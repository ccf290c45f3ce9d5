namespace KubeRunbooks.Kubernetes.Jobs;

/// <summary>A Job ended Failed. The message is one line; the log tail is kept apart for the report.</summary>
public sealed class JobFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="jobName">The failed Job.</param>
    /// <param name="reason">The Failed condition's reason and message.</param>
    /// <param name="tail">The last lines of its pod's log.</param>
    public JobFailedException(string jobName, string reason, IReadOnlyList<string> tail)
        : base($"Job {jobName} failed: {reason}.")
    {
        JobName = jobName;
        Tail = tail;
    }

    /// <summary>The failed Job's name.</summary>
    public string JobName { get; }

    /// <summary>The last lines of its pod's log, oldest first.</summary>
    public IReadOnlyList<string> Tail { get; }
}

using KubeRunbooks.Reporting;

namespace KubeRunbooks.Runbooks;

/// <summary>
/// What one process run holds beyond the task context: the journal (so the report can be
/// completed after the last task, even when a task failed) and the embedded cluster (so it is
/// stopped at the very end). One per process, registered as a singleton.
/// </summary>
public sealed class RunbookSession
{
    /// <summary>The run's journal, once the context has been built (null if validation failed first).</summary>
    public RunJournal? Journal { get; internal set; }

    /// <summary>The embedded cluster started for a simulated profile, if any.</summary>
    public ILocalCluster? LocalCluster { get; internal set; }

    /// <summary>The cluster lock while this run holds it; released when the run ends (also after a failure).</summary>
    public KubeRunbooks.Kubernetes.Locking.LeaseHandle? ClusterLock { get; set; }

    /// <summary>Registers the process-wide secret values; every log line and report is masked with it.</summary>
    public SecretMasker Masker { get; } = new();
}

using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Kubernetes.Containers;
using KubeRunbooks.Kubernetes.Jobs;
using KubeRunbooks.Kubernetes.Logging;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>The capabilities a Vantiq step uses, bound to the run's client and log, and the plan.</summary>
internal sealed class VantiqKit
{
    public VantiqKit(RunbookContext context)
    {
        Context = context;
        Plan = VantiqPlan.Of(context);
        Log = LineSinks.ToCakeLog(context.Log);
        Workloads = new WorkloadOperations(context.Kubernetes, Log);
        Notes = new AnnotationStore(Workloads, Log);
        Group = new WorkloadGroup(Workloads, Notes, Log);
        Jobs = new JobRunner(context.Kubernetes, Log);
        Containers = new ContainerExitFollower(context.Kubernetes);
    }

    public RunbookContext Context { get; }

    public VantiqPlan Plan { get; }

    public Action<string> Log { get; }

    public WorkloadOperations Workloads { get; }

    public AnnotationStore Notes { get; }

    public WorkloadGroup Group { get; }

    public JobRunner Jobs { get; }

    public ContainerExitFollower Containers { get; }

    /// <summary>Cancelled when the cluster lock is lost.</summary>
    public CancellationToken Token => Context.LockLost;

    /// <summary>What the steps of this run found out, for the later steps and the report.</summary>
    public VantiqOutcome Outcome => Context.RunState<VantiqOutcome>();

    /// <summary>The operation record on the server StatefulSet, or null.</summary>
    public Task<OperationRecord?> ReadRecordAsync() => Notes.ReadOperationAsync(Plan.Server, Token);

    /// <summary>
    /// True when a resumed operation already brought Vantiq back up after the change (a run killed while restoring the
    /// replicas): the steps up to WaitVantiqReady must not stop it again.
    /// </summary>
    public async Task<bool> AlreadyUpAsync(string step)
    {
        if ((await ReadRecordAsync())?.ReadyAt is not { } ready) return false;
        Context.Log.Write(Cake.Core.Diagnostics.Verbosity.Normal, Cake.Core.Diagnostics.LogLevel.Information, "{0}",
            $"Vantiq was already back up at {ready.UtcDateTime:HH:mm:ss} UTC in this operation: {step} skipped.");
        return true;
    }

    /// <summary>Changes the operation record (it must exist).</summary>
    public async Task<OperationRecord> UpdateRecordAsync(Func<OperationRecord, OperationRecord> change)
    {
        var record = await ReadRecordAsync() ?? throw new InvalidOperationException($"No operation is recorded on {Plan.Server}.");
        var next = change(record);
        await Notes.WriteOperationAsync(Plan.Server, next, Token);
        return next;
    }

    /// <summary>"vantiq 3, metrics-collector 1" for messages.</summary>
    public static string Describe(IEnumerable<(WorkloadRef Workload, int Replicas)> counts) =>
        string.Join(", ", counts.Select(c => $"{c.Workload.Name} {c.Replicas}"));
}

/// <summary>What the steps of one Vantiq run found out (shared through the run state).</summary>
public sealed class VantiqOutcome
{
    /// <summary>The backup Job taken (its name is the backup id).</summary>
    public string? BackupId { get; set; }

    /// <summary>The restore Job run.</summary>
    public string? RestoreJob { get; set; }

    /// <summary>The version running at the end.</summary>
    public string? VersionAfter { get; set; }

    /// <summary>From the stop to vantiq-0 Ready.</summary>
    public TimeSpan? Downtime { get; set; }

    /// <summary>The replicas restored at the end.</summary>
    public string? ReplicasRestored { get; set; }
}

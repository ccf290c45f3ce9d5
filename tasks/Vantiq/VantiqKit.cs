using Cake.Core.Diagnostics;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Kubernetes.Containers;
using KubeRunbooks.Kubernetes.Jobs;
using KubeRunbooks.Kubernetes.Logging;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Downtime;
using KubeRunbooks.Runbooks.Jobs;
using KubeRunbooks.Runbooks.Ledger;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>The runbook kit bound to one Vantiq run: its plan, client, log, ledger (on the server) and downtime window.</summary>
internal sealed class VantiqKit
{
    public VantiqKit(RunbookContext context)
    {
        Context = context;
        Plan = context.Plan<VantiqPlan>();
        Log = LineSinks.ToCakeLog(context.Log);
        Workloads = new WorkloadOperations(context.Kubernetes, Log);
        Notes = new AnnotationStore(Workloads, Log);
        Group = new WorkloadGroup(Workloads, Notes, Log);
        Jobs = new JobRunner(context.Kubernetes, Log);
        JobOnce = new JobOnce(Jobs);
        Containers = new ContainerExitFollower(context.Kubernetes);
        Ledger = new OperationLedger(Notes, Plan.Server);
        Downtime = new DowntimeWindow(Group, Plan.All, Plan.Install.ProfileReplicas, context.Profile.Timeouts.PodReady, Plan.RecordsOperation ? Ledger : null);
    }

    public RunbookContext Context { get; }

    public VantiqPlan Plan { get; }

    public Action<string> Log { get; }

    public WorkloadOperations Workloads { get; }

    public AnnotationStore Notes { get; }

    public WorkloadGroup Group { get; }

    public JobRunner Jobs { get; }

    public JobOnce JobOnce { get; }

    public ContainerExitFollower Containers { get; }

    public OperationLedger Ledger { get; }

    public DowntimeWindow Downtime { get; }

    /// <summary>Cancelled when the cluster lock is lost.</summary>
    public CancellationToken Token => Context.LockLost;

    /// <summary>
    /// True when a resumed operation already brought Vantiq back up after the change (a run killed while restoring the
    /// replicas): the steps up to WaitVantiqReady must not stop it again.
    /// </summary>
    public async Task<bool> AlreadyUpAsync(string step)
    {
        if (await Downtime.EndedAtAsync(Token) is not { } ready) return false;
        Context.Log.Information($"Vantiq was already back up at {ready.UtcDateTime:HH:mm:ss} UTC in this operation: {step} skipped.");
        return true;
    }
}

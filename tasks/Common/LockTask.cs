using Cake.Core;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Kubernetes.Locking;
using KubeRunbooks.Kubernetes.Logging;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;

namespace KubeRunbooks.Tasks.Common;

/// <summary>
/// Takes the cluster lock (a coordination.k8s.io/v1 Lease in the plan's namespace) before the first change; it is
/// renewed while the run lives and released when it ends, also after a failure. Held by another live run: exit 3,
/// nothing changed. Once held, the plan is made again and the operation it opens is recorded on the cluster.
/// </summary>
[TaskName("Lock")]
[TaskDescription("Takes the cluster lock (Lease kuberunbooks-lock) for the rest of the run; another run holding it: exit 3")]
public sealed class LockTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        if (context.Session.ClusterLock is not null) return;
        var ns = context.CurrentPlan?.LockNamespace ?? ClusterLockScope.DefaultNamespace;
        var log = LineSinks.ToCakeLog(context.Log);
        var options = new LeaseLockOptions(ns, ClusterLockScope.LeaseName, context.RunId, ClusterLockScope.Duration, IsAbandoned: RunIdentity.IsGoneOnThisMachine);
        context.Session.ClusterLock = await new LeaseLock(context.Kubernetes, log: log).AcquireAsync(options);
        context.Journal.RecordFact("lock", $"lease {ns}/{ClusterLockScope.LeaseName} held by {context.RunId}");
        // Another run may have finished between the validation and now: the plan is made again from the cluster as it is.
        context.RevalidateUnderLock();
        if (context.CurrentPlan?.Opens is { } opening)
        {
            var deploymentConfigs = opening.DeploymentConfigs is { } api ? new DeploymentConfigObjects(context.Kubernetes, api) : null;
            var ledger = new OperationLedger(new AnnotationStore(new WorkloadOperations(context.Kubernetes, log), log, deploymentConfigs), opening.Anchor);
            await ledger.OpenAsync(opening.RecordFor(context.RunId, DateTimeOffset.UtcNow), context.LockLost);
        }
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ((RunbookContext)context).CurrentPlan;
        yield return $"take lease {plan?.LockNamespace ?? ClusterLockScope.DefaultNamespace}/{ClusterLockScope.LeaseName} for this run (released at the end)";
        if (plan?.Opens is { } opening)
            yield return $"annotate {opening.Anchor} {AnnotationStore.Operation}={opening.RecordFor(((RunbookContext)context).RunId, DateTimeOffset.UtcNow).Describe()}";
    }
}

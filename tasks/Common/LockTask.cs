using Cake.Core;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Locking;
using KubeRunbooks.Kubernetes.Logging;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Common;

/// <summary>
/// Takes the cluster lock (a coordination.k8s.io/v1 Lease) before the first change; it is renewed while the run
/// lives and released when it ends, also after a failure. Held by another live run: exit 3, nothing changed.
/// </summary>
[TaskName("Lock")]
[TaskDescription("Takes the cluster lock (Lease kuberunbooks-lock) for the rest of the run; another run holding it: exit 3")]
public sealed class LockTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        if (context.Session.ClusterLock is not null) return;
        var scope = context.RunState<ClusterLockScope>();
        var options = new LeaseLockOptions(scope.Namespace, ClusterLockScope.LeaseName, context.RunId, scope.Duration, IsAbandoned: RunIdentity.IsGoneOnThisMachine);
        var locks = new LeaseLock(context.Kubernetes, log: LineSinks.ToCakeLog(context.Log));
        context.Session.ClusterLock = await locks.AcquireAsync(options);
        context.Journal.RecordFact("lock", $"lease {scope.Namespace}/{ClusterLockScope.LeaseName} held by {context.RunId}");
        // Another run may have finished between the validation and now: the next step validates again.
        context.RevalidateUnderLock();
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var scope = ((RunbookContext)context).RunState<ClusterLockScope>();
        yield return $"take lease {scope.Namespace}/{ClusterLockScope.LeaseName} for this run (released at the end)";
    }
}

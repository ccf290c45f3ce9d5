using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Kubernetes.Logging;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Downtime;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>The application's downtime window of one StorageRestore run (replicas recorded on the Deployment itself).</summary>
internal static class StorageRestoreKit
{
    public static DowntimeWindow Downtime(RunbookContext context, StorageRestorePlan plan)
    {
        var log = LineSinks.ToCakeLog(context.Log);
        var workloads = new WorkloadOperations(context.Kubernetes, log);
        var group = new WorkloadGroup(workloads, new AnnotationStore(workloads, log), log);
        return new DowntimeWindow(group, [plan.Application], _ => plan.Settings.Application.Replicas, context.Profile.Timeouts.PodReady, null);
    }
}

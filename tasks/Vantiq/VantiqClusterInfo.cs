using KubeRunbooks.Clusters;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>
/// The Vantiq view of ClusterInfo: the running version, and what the runbooks recorded on the cluster (an
/// unfinished operation, the backup and image a rollback would use). Read-only.
/// </summary>
public static class VantiqClusterInfo
{
    /// <summary>The lines to show and the facts to record; none when the profile has no Vantiq or the StatefulSet is absent.</summary>
    public static async Task<IReadOnlyList<(string Key, string Value)>> CollectAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        if (context.Profile.Vantiq is not { } vantiq) return [];
        var server = Kubernetes.Workloads.WorkloadRef.StatefulSet(vantiq.Namespace, vantiq.Server.Name);
        var state = await new WorkloadOperations(context.Kubernetes).TryGetAsync(server, cancellationToken);
        if (state is null) return [];
        var container = state.Containers.FirstOrDefault(c => c.Name == vantiq.Server.Name) ?? state.Containers.FirstOrDefault();
        var facts = new List<(string, string)>();
        if (container?.Image is { } image) facts.Add(("Vantiq version", ImageReference.Parse(image).Tag ?? "(no tag)"));
        if (state.Annotations.TryGetValue(AnnotationStore.Operation, out var operation))
            facts.Add(("Vantiq unfinished operation", OperationRecord.Parse(operation, server.ToString()).Describe()));
        if (state.Annotations.TryGetValue(AnnotationStore.BackupId, out var backup)) facts.Add(("Vantiq upgrade backup", backup));
        if (state.Annotations.TryGetValue(AnnotationStore.PreviousImage, out var previous)) facts.Add(("Vantiq previous image", previous));
        return facts;
    }
}

using k8s.Models;

namespace KubeRunbooks.Kubernetes.Workloads;

/// <summary>Where a rollout stands: done or not, and kubectl's message for it.</summary>
/// <param name="Done">True when the rollout is complete.</param>
/// <param name="Message">kubectl's wording of the state.</param>
public sealed record RolloutState(bool Done, string Message);

/// <summary>A rollout that cannot complete (wrong update strategy, progress deadline exceeded); one-line message.</summary>
public sealed class RolloutFailedException : Exception
{
    /// <summary>Creates the exception with the one line shown to the operator.</summary>
    public RolloutFailedException(string message) : base(message) { }
}

/// <summary>
/// <c>kubectl rollout status</c>'s rules as pure functions of the object, so a watch loop can
/// evaluate them on every event.
/// </summary>
public static class RolloutStatus
{
    /// <summary>kubectl's StatefulSet rule; partition defaults to 0 when rollingUpdate is present.</summary>
    /// <param name="s">The StatefulSet as last seen.</param>
    /// <returns>The state.</returns>
    public static RolloutState Of(V1StatefulSet s)
    {
        var name = s.Metadata?.Name;
        var strategy = s.Spec?.UpdateStrategy;
        // The API server defaults the strategy to RollingUpdate; an object without one is treated the same.
        if (strategy?.Type is { } type && type != "RollingUpdate")
            throw new RolloutFailedException($"statefulset {name}: rollout status is only available for the RollingUpdate strategy (it uses {type}).");
        var status = s.Status;
        var observed = status?.ObservedGeneration ?? 0;
        if (observed == 0 || (s.Metadata?.Generation ?? 0) > observed)
            return new(false, "Waiting for statefulset spec update to be observed...");
        var replicas = s.Spec?.Replicas ?? 1;
        var ready = status?.ReadyReplicas ?? 0;
        if (ready < replicas)
            return new(false, $"Waiting for {replicas - ready} pods to be ready...");
        var updated = status?.UpdatedReplicas ?? 0;
        if (strategy?.RollingUpdate is { } rolling)
        {
            var partition = rolling.Partition ?? 0;
            if (updated < replicas - partition)
                return new(false, $"Waiting for partitioned roll out to finish: {updated} out of {replicas - partition} new pods have been updated...");
            return new(true, $"partitioned roll out complete: {updated} new pods have been updated...");
        }
        if (status?.UpdateRevision != status?.CurrentRevision)
            return new(false, $"waiting for statefulset rolling update to complete {updated} pods at revision {status?.UpdateRevision}...");
        return new(true, $"statefulset rolling update complete {status?.CurrentReplicas ?? 0} pods at revision {status?.CurrentRevision}...");
    }

    /// <summary>kubectl's Deployment rule.</summary>
    /// <param name="d">The Deployment as last seen.</param>
    /// <returns>The state.</returns>
    public static RolloutState Of(V1Deployment d)
    {
        var name = d.Metadata?.Name;
        var status = d.Status;
        if ((d.Metadata?.Generation ?? 0) > (status?.ObservedGeneration ?? 0))
            return new(false, "Waiting for deployment spec update to be observed...");
        var progressing = status?.Conditions?.FirstOrDefault(c => c.Type == "Progressing");
        if (progressing?.Reason == "ProgressDeadlineExceeded")
            throw new RolloutFailedException($"deployment {name} exceeded its progress deadline.");
        var updated = status?.UpdatedReplicas ?? 0;
        var replicas = d.Spec?.Replicas;
        if (replicas is { } desired && updated < desired)
            return new(false, $"Waiting for deployment \"{name}\" rollout to finish: {updated} out of {desired} new replicas have been updated...");
        var existing = status?.Replicas ?? 0;
        if (existing > updated)
            return new(false, $"Waiting for deployment \"{name}\" rollout to finish: {existing - updated} old replicas are pending termination...");
        var available = status?.AvailableReplicas ?? 0;
        if (available < updated)
            return new(false, $"Waiting for deployment \"{name}\" rollout to finish: {available} of {updated} updated replicas are available...");
        return new(true, $"deployment \"{name}\" successfully rolled out");
    }
}

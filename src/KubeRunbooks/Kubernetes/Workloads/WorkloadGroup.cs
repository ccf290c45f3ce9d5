using KubeRunbooks.Kubernetes.Annotations;

namespace KubeRunbooks.Kubernetes.Workloads;

/// <summary>
/// Several workloads stopped and started together (a product's StatefulSets): record their replicas on
/// themselves, scale them and wait for all of them by watch, and bring them back to what was recorded.
/// </summary>
public sealed class WorkloadGroup
{
    private readonly WorkloadOperations _workloads;
    private readonly AnnotationStore _notes;
    private readonly Action<string> _log;

    /// <summary>Creates the group operations.</summary>
    /// <param name="workloads">Reads, scales and waits.</param>
    /// <param name="notes">Keeps the replica records.</param>
    /// <param name="log">Progress lines.</param>
    public WorkloadGroup(WorkloadOperations workloads, AnnotationStore notes, Action<string>? log = null)
    {
        _workloads = workloads;
        _notes = notes;
        _log = log ?? (_ => { });
    }

    /// <summary>
    /// Records each workload's replicas (a record already there is kept: a rerun after a stop must not record the 0
    /// it finds) and returns the recorded counts in order.
    /// </summary>
    public async Task<IReadOnlyList<(WorkloadRef Workload, int Replicas)>> RecordAsync(IEnumerable<WorkloadRef> workloads, CancellationToken cancellationToken = default)
    {
        var recorded = new List<(WorkloadRef, int)>();
        foreach (var workload in workloads)
            recorded.Add((workload, await _notes.RecordOriginalReplicasAsync(workload, cancellationToken).ConfigureAwait(false)));
        return recorded;
    }

    /// <summary>
    /// Scales each workload whose spec.replicas differs from its target (in the order given, none sent for one already
    /// there), then waits by watch until every one has exactly its target of ready pods (none for 0).
    /// </summary>
    /// <returns>The workloads that were scaled.</returns>
    public async Task<IReadOnlyList<WorkloadRef>> ScaleAndWaitAsync(IEnumerable<(WorkloadRef Workload, int Replicas)> targets, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var list = targets.ToList();
        var scaled = new List<WorkloadRef>();
        foreach (var (workload, replicas) in list)
        {
            if (await _workloads.GetReplicasAsync(workload, cancellationToken).ConfigureAwait(false) == replicas) continue;
            await _workloads.ScaleAsync(workload, replicas, cancellationToken).ConfigureAwait(false);
            scaled.Add(workload);
        }
        await Task.WhenAll(list.Select(t => _workloads.WaitForReplicasAsync(t.Workload, t.Replicas, timeout, cancellationToken))).ConfigureAwait(false);
        return scaled;
    }

    /// <summary>
    /// Brings each workload back to its recorded replicas (<paramref name="fallback"/> when none was recorded), waits
    /// until all are ready, then removes the records.
    /// </summary>
    /// <returns>The counts restored, in order.</returns>
    public async Task<IReadOnlyList<(WorkloadRef Workload, int Replicas)>> RestoreAsync(IEnumerable<WorkloadRef> workloads, Func<WorkloadRef, int> fallback, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var targets = new List<(WorkloadRef, int)>();
        foreach (var workload in workloads)
        {
            var recorded = await _notes.ReadOriginalReplicasAsync(workload, cancellationToken).ConfigureAwait(false);
            if (recorded is null) _log($"No replica count is recorded on {workload}: using the profile's {fallback(workload)}.");
            targets.Add((workload, recorded ?? fallback(workload)));
        }
        await ScaleAndWaitAsync(targets, timeout, cancellationToken).ConfigureAwait(false);
        foreach (var (workload, _) in targets)
        {
            if (await _notes.ReadOriginalReplicasAsync(workload, cancellationToken).ConfigureAwait(false) is not null)
                await _notes.ClearOriginalReplicasAsync(workload, cancellationToken).ConfigureAwait(false);
        }
        return targets;
    }
}

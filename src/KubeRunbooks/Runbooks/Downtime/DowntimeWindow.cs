using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks.Ledger;

namespace KubeRunbooks.Runbooks.Downtime;

/// <summary>
/// A group of workloads stopped together for a change and brought back to the replicas they had: the counts are
/// recorded on the workloads themselves before the stop, the start and the end of the downtime in the operation's
/// ledger, so a rerun neither records the 0 it finds nor stops again what was already back up. Works on any kind
/// <see cref="WorkloadOperations"/> scales (StatefulSets and Deployments today).
/// </summary>
public sealed class DowntimeWindow
{
    /// <summary>The ledger milestone of the stop.</summary>
    public const string StoppedMark = "stoppedAt";

    /// <summary>The ledger milestone of the first workload back up after the change.</summary>
    public const string ReadyMark = "readyAt";

    private readonly WorkloadGroup _group;
    private readonly OperationLedger? _ledger;
    private readonly Func<WorkloadRef, int> _fallback;
    private readonly TimeSpan _timeout;

    /// <summary>A window over <paramref name="workloads"/>.</summary>
    /// <param name="group">Records, scales and waits.</param>
    /// <param name="workloads">The workloads stopped together, the main one first.</param>
    /// <param name="fallback">The replicas of a workload with no record (the profile's normal count).</param>
    /// <param name="timeout">How long pods may take to go or to become ready.</param>
    /// <param name="ledger">The operation's ledger (its milestones), or null when the run records none.</param>
    public DowntimeWindow(WorkloadGroup group, IReadOnlyList<WorkloadRef> workloads, Func<WorkloadRef, int> fallback, TimeSpan timeout, OperationLedger? ledger)
    {
        _group = group;
        Workloads = workloads;
        _fallback = fallback;
        _timeout = timeout;
        _ledger = ledger;
    }

    /// <summary>The workloads, the main one first.</summary>
    public IReadOnlyList<WorkloadRef> Workloads { get; }

    /// <summary>Records each workload's replicas (a record already there is kept) and returns them in order.</summary>
    public Task<IReadOnlyList<(WorkloadRef Workload, int Replicas)>> RecordAsync(CancellationToken cancellationToken = default) =>
        _group.RecordAsync(Workloads, cancellationToken);

    /// <summary>Marks the stop in the ledger (once) and scales every workload to 0, waiting until their pods are gone.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_ledger is not null && await _ledger.ReadAsync(cancellationToken).ConfigureAwait(false) is { } record && record.Mark(StoppedMark) is null)
            await _ledger.OpenAsync(record.WithMark(StoppedMark, DateTimeOffset.UtcNow), cancellationToken).ConfigureAwait(false);
        await _group.ScaleAndWaitAsync(Workloads.Select(w => (w, 0)), _timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>When this operation already had its workloads back up (a rerun after that point), else null: do not stop them again.</summary>
    public async Task<DateTimeOffset?> EndedAtAsync(CancellationToken cancellationToken = default) =>
        _ledger is null ? null : (await _ledger.ReadAsync(cancellationToken).ConfigureAwait(false))?.Mark(ReadyMark);

    /// <summary>Marks the end of the downtime now and returns its length since the stop (null when no stop was recorded).</summary>
    public async Task<TimeSpan?> EndAsync(CancellationToken cancellationToken = default)
    {
        if (_ledger is null) return null;
        var now = DateTimeOffset.UtcNow;
        var record = await _ledger.MarkAsync(ReadyMark, now, cancellationToken).ConfigureAwait(false);
        return record?.Mark(StoppedMark) is { } since ? now - since : null;
    }

    /// <summary>Brings every workload back to its recorded replicas, waits until ready and removes the records.</summary>
    /// <returns>The counts restored, in order.</returns>
    public Task<IReadOnlyList<(WorkloadRef Workload, int Replicas)>> BringBackAsync(CancellationToken cancellationToken = default) =>
        _group.RestoreAsync(Workloads, _fallback, _timeout, cancellationToken);

    /// <summary>
    /// Runs <paramref name="step"/>; when it fails with <typeparamref name="TFailure"/>, brings the workloads back to
    /// their recorded replicas, closes the ledger (the operation is undone) and throws what <paramref name="failed"/> makes of it.
    /// </summary>
    /// <param name="step">The step that may fail.</param>
    /// <param name="announce">Told the failure before the workloads are brought back (for the log).</param>
    /// <param name="failed">The exception to throw, given the failure and the counts restored.</param>
    /// <param name="cancellationToken">Cancels the scaling and the waits.</param>
    public async Task<T> BringBackOnFailureAsync<T, TFailure>(Func<Task<T>> step, Action<TFailure> announce,
        Func<TFailure, IReadOnlyList<(WorkloadRef Workload, int Replicas)>, Exception> failed, CancellationToken cancellationToken = default)
        where TFailure : Exception
    {
        try
        {
            return await step().ConfigureAwait(false);
        }
        catch (TFailure failure)
        {
            announce(failure);
            var restored = await BringBackAsync(cancellationToken).ConfigureAwait(false);
            if (_ledger is not null) await _ledger.FinishAsync(cancellationToken).ConfigureAwait(false);
            throw failed(failure, restored);
        }
    }

    /// <summary><c>NAME COUNT, NAME COUNT</c>, for messages and the report.</summary>
    public static string Describe(IEnumerable<(WorkloadRef Workload, int Replicas)> counts) =>
        string.Join(", ", counts.Select(c => $"{c.Workload.Name} {c.Replicas}"));
}

using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Kubernetes.Workloads;

namespace KubeRunbooks.Runbooks.Ledger;

/// <summary>
/// The unfinished operation of a runbook, kept on the cluster on one object (the anchor, e.g. the product's main
/// StatefulSet): opened once the lock is held, updated as steps take things or reach milestones, read back by a
/// rerun (see <see cref="LedgerDecision"/>), removed when the operation finishes.
/// </summary>
public sealed class OperationLedger
{
    private readonly AnnotationStore _notes;

    /// <summary>A ledger on <paramref name="anchor"/>.</summary>
    /// <param name="notes">Reads and writes the annotation.</param>
    /// <param name="anchor">The object that carries the record.</param>
    public OperationLedger(AnnotationStore notes, WorkloadRef anchor)
    {
        _notes = notes;
        Anchor = anchor;
    }

    /// <summary>The object that carries the record.</summary>
    public WorkloadRef Anchor { get; }

    /// <summary>The record in <paramref name="annotations"/> (already read), or null; a damaged one raises <see cref="InvalidDataException"/>.</summary>
    public static OperationRecord? From(IReadOnlyDictionary<string, string> annotations, WorkloadRef anchor) =>
        annotations.TryGetValue(AnnotationStore.Operation, out var json) ? OperationRecord.Parse(json, anchor.ToString()) : null;

    /// <summary>
    /// The record in <paramref name="annotations"/> for a plan deciding before any change, or null; a damaged one is the
    /// operator's to fix, so it raises <see cref="InvalidInputException"/> (exit 2, nothing changed) naming the object.
    /// </summary>
    public static OperationRecord? UnfinishedFrom(IReadOnlyDictionary<string, string> annotations, WorkloadRef anchor)
    {
        try
        {
            return From(annotations, anchor);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidInputException(e.Message, e);
        }
    }

    /// <summary>The unfinished operation, or null.</summary>
    public async Task<OperationRecord?> ReadAsync(CancellationToken cancellationToken = default)
    {
        var value = await _notes.ReadAsync(Anchor, AnnotationStore.Operation, cancellationToken).ConfigureAwait(false);
        return value is null ? null : OperationRecord.Parse(value, Anchor.ToString());
    }

    /// <summary>Records <paramref name="record"/> as the unfinished operation (replacing one a decision let this run replace).</summary>
    public Task OpenAsync(OperationRecord record, CancellationToken cancellationToken = default) =>
        _notes.WriteAsync(Anchor, AnnotationStore.Operation, record.ToJson(), cancellationToken);

    /// <summary>Changes the unfinished operation; none recorded: nothing changes and null is returned.</summary>
    public async Task<OperationRecord?> UpdateAsync(Func<OperationRecord, OperationRecord> change, CancellationToken cancellationToken = default)
    {
        if (await ReadAsync(cancellationToken).ConfigureAwait(false) is not { } record) return null;
        var next = change(record);
        await OpenAsync(next, cancellationToken).ConfigureAwait(false);
        return next;
    }

    /// <summary>Records what the operation took under <paramref name="key"/> (nothing when no operation is open).</summary>
    public Task<OperationRecord?> TakeAsync(string key, string value, CancellationToken cancellationToken = default) =>
        UpdateAsync(r => r.WithTaken(key, value), cancellationToken);

    /// <summary>Records that milestone <paramref name="key"/> was reached now (nothing when no operation is open).</summary>
    public Task<OperationRecord?> MarkAsync(string key, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        UpdateAsync(r => r.WithMark(key, at), cancellationToken);

    /// <summary>Removes the record: the operation is finished (or undone).</summary>
    public Task FinishAsync(CancellationToken cancellationToken = default) =>
        _notes.WriteAsync(Anchor, AnnotationStore.Operation, null, cancellationToken);
}

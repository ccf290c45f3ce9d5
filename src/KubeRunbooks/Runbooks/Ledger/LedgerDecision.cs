namespace KubeRunbooks.Runbooks.Ledger;

/// <summary>What a run does about the unfinished operation on the cluster: decided in memory, before any change.</summary>
/// <param name="Action">Open, resume, replace or refuse.</param>
/// <param name="Unfinished">The unfinished operation found, or null.</param>
public sealed record LedgerDecision(LedgerAction Action, OperationRecord? Unfinished)
{
    /// <summary>The operation this run resumes, or null when it opens its own.</summary>
    public OperationRecord? Resumed => Action == LedgerAction.Resume ? Unfinished : null;

    /// <summary>
    /// Decides: nothing unfinished or <paramref name="fresh"/> opens; the same target (case-insensitive) whose given
    /// inputs all equal the recorded ones resumes; a target that may run beside it (<paramref name="mayReplace"/>, a
    /// rollback) replaces it; anything else is refused.
    /// </summary>
    /// <param name="unfinished">The record found on the cluster, or null.</param>
    /// <param name="target">The target of this run.</param>
    /// <param name="givenInputs">The inputs this run was given explicitly (absent ones match anything).</param>
    /// <param name="fresh">True with <c>--fresh</c>: start over.</param>
    /// <param name="mayReplace">True when this target may run while another operation is unfinished.</param>
    public static LedgerDecision Decide(OperationRecord? unfinished, string target, IReadOnlyDictionary<string, string> givenInputs, bool fresh, bool mayReplace)
    {
        if (unfinished is null || fresh) return new LedgerDecision(LedgerAction.Open, unfinished);
        var same = string.Equals(unfinished.Target, target, StringComparison.OrdinalIgnoreCase)
            && givenInputs.All(i => unfinished.Input(i.Key) == i.Value);
        if (same) return new LedgerDecision(LedgerAction.Resume, unfinished);
        return new LedgerDecision(mayReplace ? LedgerAction.Replace : LedgerAction.Refuse, unfinished);
    }
}

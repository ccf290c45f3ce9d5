namespace KubeRunbooks.Runbooks.Ledger;

/// <summary>What a run does about the unfinished operation it finds (see <see cref="LedgerDecision.Decide"/>).</summary>
public enum LedgerAction
{
    /// <summary>None recorded, or <c>--fresh</c>: this run opens its own.</summary>
    Open,

    /// <summary>The same target with the same inputs: this run resumes it (nothing taken twice).</summary>
    Resume,

    /// <summary>A target allowed beside an unfinished one (its rollback): this run opens its own in its place.</summary>
    Replace,

    /// <summary>Another target: refused (exit 2) until the operation is resumed, rolled back or started fresh.</summary>
    Refuse,
}

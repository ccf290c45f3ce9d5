using KubeRunbooks.Runbooks.Ledger;

namespace KubeRunbooks.Runbooks.Plans;

/// <summary>
/// What one run of a target will do, decided from the arguments, the profile and the cluster before the first
/// change (every refusal an <see cref="KubeRunbooks.Errors.InvalidInputException"/>: exit 2, nothing changed). Each
/// target has its own plan type, so a step reads what to do from the plan and never asks which target runs it.
/// </summary>
public interface IRunbookPlan
{
    /// <summary>The namespace of the cluster lock this run takes (the product it changes).</summary>
    string LockNamespace { get; }

    /// <summary>
    /// The operation this run records on the cluster once it holds the lock (the <c>Lock</c> task writes it), or null
    /// when it resumes one already recorded or changes nothing that a rerun must know about.
    /// </summary>
    OperationOpening? Opens { get; }
}

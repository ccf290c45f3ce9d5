using KubeRunbooks.Errors;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Runbooks.Plans;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>
/// What one run of an Exastro target will do, decided before the first change (and again under the lock): the install
/// as found and what to do about an unfinished operation (the same target resumes it; anything else is refused).
/// </summary>
public abstract record ExastroPlan : IRunbookPlan
{
    /// <summary>The install as found.</summary>
    public required ExastroInstall Install { get; init; }

    /// <summary>The target being run.</summary>
    public required string Target { get; init; }

    /// <summary>What this run does about an unfinished operation.</summary>
    public required LedgerDecision Ledger { get; init; }

    /// <summary>The profile's Exastro names.</summary>
    public ExastroSettings Settings => Install.Settings;

    /// <summary>The inputs recorded with the operation (a rerun with other inputs is another operation).</summary>
    public virtual IReadOnlyDictionary<string, string> Inputs => new Dictionary<string, string>();

    /// <inheritdoc />
    public string LockNamespace => Settings.Namespace;

    /// <inheritdoc />
    public OperationOpening? Opens => Ledger.Resumed is null ? new OperationOpening(Install.ReverseProxy, Target, Inputs) : null;

    /// <summary>The command that runs this target again (a rerun resumes and brings the services back).</summary>
    public abstract string RerunCommand { get; }

    /// <summary>Reads the install and decides about an unfinished operation.</summary>
    protected static async Task<(ExastroInstall Install, LedgerDecision Ledger)> ReadAsync(RunbookContext context, string target,
        IReadOnlyDictionary<string, string> given, CancellationToken cancellationToken)
    {
        var install = await ExastroInstall.ReadAsync(context, cancellationToken).ConfigureAwait(false);
        return (install, Decide(install, target, given, context.Arguments.HasArgument("fresh")));
    }

    /// <summary>
    /// Decides about the install's unfinished operation (in memory): the same target with the same <paramref name="given"/>
    /// inputs resumes it, <paramref name="fresh"/> starts over, anything else is refused (Exastro targets never replace one).
    /// </summary>
    /// <exception cref="InvalidInputException">Another operation is unfinished.</exception>
    public static LedgerDecision Decide(ExastroInstall install, string target, IReadOnlyDictionary<string, string> given, bool fresh)
    {
        ArgumentNullException.ThrowIfNull(install);
        var decision = LedgerDecision.Decide(install.Unfinished, target, given, fresh, mayReplace: false);
        if (decision.Action == LedgerAction.Refuse)
            throw new InvalidInputException($"{install.ReverseProxy} records an unfinished {decision.Unfinished!.Describe()}: run that target again to finish it (it brings the services back), or add --fresh to start over.");
        return decision;
    }
}

using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Runbooks.Plans;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>
/// What RotateCredentials will do (seed 000, <c>deploy-kamonohashi.sh credentials all</c>): the database password, then
/// the storage secret key, each as its own target does it. Both new values are read, and both plans checked, before
/// the first change, so a bad second value does not leave the run half-done.
/// </summary>
public sealed record CredentialsRotationPlan : IComposedPlan
{
    /// <summary>The database password part.</summary>
    public required DatabasePasswordPlan Database { get; init; }

    /// <summary>The storage secret key part.</summary>
    public required StorageKeyRotationPlan Storage { get; init; }

    /// <inheritdoc />
    public IReadOnlyList<IRunbookPlan> Parts => [Database, Storage];

    /// <inheritdoc />
    public string LockNamespace => Database.LockNamespace;

    /// <inheritdoc />
    public OperationOpening? Opens => null;

    /// <summary>Makes both parts (each reads its value once per run).</summary>
    public static async Task<CredentialsRotationPlan> BuildAsync(RunbookContext context, CancellationToken cancellationToken) => new()
    {
        Database = await DatabasePasswordPlan.BuildAsync(context, cancellationToken).ConfigureAwait(false),
        Storage = await StorageKeyRotationPlan.BuildAsync(context, cancellationToken).ConfigureAwait(false),
    };
}

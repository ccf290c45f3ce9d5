using System.Text;
using KubeRunbooks.Clusters;
using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Runbooks.Plans;
using KubeRunbooks.Secrets;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>
/// What RotateDatabasePassword will do: the new value (read once per run, from --db-password-file, the variable
/// KUBERUNBOOKS_DB_PASSWORD or the seed's prompt "DB Password"; never an argument), the current one from the Secret,
/// and the workloads that read the Secret (the database itself excepted: it reads the value only at initdb).
/// </summary>
public sealed record DatabasePasswordPlan : IRunbookPlan
{
    /// <summary>The seed's prompt ("DB Passwordを入力") and the two ways to give the value without one.</summary>
    public static readonly SecretPrompt Prompt = new("DB Password", "KUBERUNBOOKS_DB_PASSWORD", "db-password-file");

    /// <summary>The profile's KAMONOHASHI names.</summary>
    public required KamonohashiSettings Settings { get; init; }

    /// <summary>The profile name.</summary>
    public required string Cluster { get; init; }

    /// <summary>The database workload.</summary>
    public required WorkloadRef Database { get; init; }

    /// <summary>The workloads rolled out after the Secret changes.</summary>
    public required IReadOnlyList<WorkloadRef> Consumers { get; init; }

    /// <summary>The password now (from the Secret; masked in every output).</summary>
    public required string OldPassword { get; init; }

    /// <summary>The new password (masked in every output).</summary>
    public required string NewPassword { get; init; }

    /// <summary>The role whose password changes.</summary>
    public string Role => Settings.DatabaseUser;

    /// <summary><c>secret NS/NAME key KEY</c>.</summary>
    public string SecretDescription => $"secret {Settings.Namespace}/{Settings.DatabaseSecret} key {Settings.DatabasePasswordKey}";

    /// <inheritdoc />
    public string LockNamespace => Settings.Namespace;

    /// <inheritdoc />
    public OperationOpening? Opens => null;

    /// <summary>Refuses a new password that is the one in use or that a Secret env value cannot carry (a line break, NUL).</summary>
    /// <exception cref="InvalidInputException">The value is refused (the message never holds it).</exception>
    public static void RequireNewPassword(string value, string old)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value == old) throw new InvalidInputException($"The new {Prompt.Label} is the one in use: nothing to change.");
        if (value.Contains('\0', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal))
            throw new InvalidInputException($"The new {Prompt.Label} holds a line break or NUL, which a password in a Secret env value cannot carry.");
    }

    /// <summary>Builds the plan: reads only; no value, an argument value or an unchanged value is exit 2.</summary>
    public static async Task<DatabasePasswordPlan> BuildAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        var settings = context.Profile.Require<KamonohashiSettings>();
        await KamonohashiDatabase.RequireContainerAsync(context, settings, cancellationToken).ConfigureAwait(false);
        var old = await KamonohashiDatabase.ReadPasswordAsync(context, settings, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidInputException($"secret {settings.Namespace}/{settings.DatabaseSecret} with key {settings.DatabasePasswordKey} does not exist (kamonohashi.databaseSecret, databasePasswordKey): it holds the password the application uses.");
        var value = NewSecretValues.Of(context, Prompt);
        RequireNewPassword(value, old);
        var consumers = (await SecretConsumers.FindAsync(context.Kubernetes, settings.Namespace, settings.DatabaseSecret, settings.DatabasePasswordKey, cancellationToken).ConfigureAwait(false))
            .Select(c => c.Workload).Where(w => w != KamonohashiDatabase.WorkloadOf(settings)).ToList();
        return new DatabasePasswordPlan
        {
            Settings = settings,
            Cluster = context.Profile.Name,
            Database = KamonohashiDatabase.WorkloadOf(settings),
            Consumers = consumers,
            OldPassword = old,
            NewPassword = value,
        };
    }

    /// <summary>The Secret with the password key set to <paramref name="password"/> and its other keys as they are.</summary>
    public async Task<SecretSpec> SecretWithAsync(SecretWriter secrets, string password, CancellationToken cancellationToken)
    {
        var current = await secrets.TryReadAsync(Settings.Namespace, Settings.DatabaseSecret, cancellationToken).ConfigureAwait(false)
            ?? throw new StepFailedException($"{SecretDescription} is gone.");
        var data = new Dictionary<string, byte[]>(current.Data ?? new Dictionary<string, byte[]>(), StringComparer.Ordinal) { [Settings.DatabasePasswordKey] = Encoding.UTF8.GetBytes(password) };
        return new SecretSpec(Settings.Namespace, Settings.DatabaseSecret, current.Type ?? SecretSpec.OpaqueType, data);
    }
}

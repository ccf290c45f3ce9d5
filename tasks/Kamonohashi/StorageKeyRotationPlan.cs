using System.Net;
using k8s.Autorest;
using KubeRunbooks.Clusters;
using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Runbooks.Plans;
using KubeRunbooks.Secrets;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>
/// What RotateStoragePassword will do (seed 000, <c>deploy-kamonohashi.sh credentials storage</c>): the new MinIO
/// secret key (prompt "Storage Secret Key", <c>--storage-secret-key-file=PATH</c> or
/// <c>KUBERUNBOOKS_STORAGE_SECRET_KEY</c>; never an argument) into the Secret, then MinIO and every workload that reads
/// the Secret rolled out and checked. Validation and reads only; the values live in <see cref="Values"/>, never in the
/// plan's text.
/// </summary>
public sealed record StorageKeyRotationPlan : IRunbookPlan
{
    /// <summary>How the new value is asked for (the seed's prompt words).</summary>
    public static readonly SecretPrompt Prompt = new("Storage Secret Key", "KUBERUNBOOKS_STORAGE_SECRET_KEY", "storage-secret-key-file");

    /// <summary>The profile's KAMONOHASHI names.</summary>
    public required KamonohashiSettings Settings { get; init; }

    /// <summary>The Secret's type (kept when it is written).</summary>
    public required string SecretType { get; init; }

    /// <summary>MinIO first, then every other workload that reads the Secret, with the variables that hold the key.</summary>
    public required IReadOnlyList<(SecretConsumer Consumer, string Selector)> Consumers { get; init; }

    /// <summary>The old and new values (never shown).</summary>
    public required StorageKeyValues Values { get; init; }

    /// <inheritdoc />
    public string LockNamespace => Settings.Namespace;

    /// <inheritdoc />
    public OperationOpening? Opens => null;

    /// <summary>The Secret as messages name it.</summary>
    public string SecretDescription => $"secret {Settings.Namespace}/{Settings.MinioSecret} key {Settings.MinioSecretKey}";

    /// <summary>The plan of this run.</summary>
    public static StorageKeyRotationPlan Of(RunbookContext context) => context.Plan<StorageKeyRotationPlan>();

    /// <summary>Refuses a new key MinIO would refuse (under 8 characters, a control character) or that <paramref name="secret"/> already holds.</summary>
    /// <exception cref="InvalidInputException">The value is refused (the message never holds it).</exception>
    public static void RequireNewKey(string value, string old, string secret)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length < 8 || value.Any(char.IsControl))
            throw new InvalidInputException($"The new {Prompt.Label} must be at least 8 characters (MinIO's rule) with no control characters.");
        if (value == old)
            throw new InvalidInputException($"The new {Prompt.Label} is the one {secret} already holds: nothing to rotate.");
    }

    /// <summary>Builds the plan: the cluster read, the new value read once per run (the plan is made again under the lock).</summary>
    public static async Task<StorageKeyRotationPlan> BuildAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        var settings = context.Profile.Require<KamonohashiSettings>();
        var where = $"cluster '{context.Profile.Name}' (profile {context.Profile.SourcePath})";
        var minio = WorkloadRef.Deployment(settings.Namespace, settings.Minio.Name);
        var workloads = new WorkloadOperations(context.Kubernetes);
        if (await workloads.TryGetAsync(minio, cancellationToken).ConfigureAwait(false) is null)
            throw new InvalidInputException($"{minio} does not exist on {where}, kamonohashi.minioDeployment: only the storage KAMONOHASHI deployed itself (MinIO) can be rotated here.");
        var secret = await new SecretWriter(context.Kubernetes).TryReadAsync(settings.Namespace, settings.MinioSecret, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidInputException($"secret {settings.Namespace}/{settings.MinioSecret} does not exist on {where}, kamonohashi.minioSecret.");
        if (secret.Data?.TryGetValue(settings.MinioSecretKey, out var oldBytes) != true || oldBytes is null)
            throw new InvalidInputException($"secret {settings.Namespace}/{settings.MinioSecret} has no key {settings.MinioSecretKey} (kamonohashi.minioSecretKey); its keys: {string.Join(", ", secret.Data?.Keys ?? [])}.");

        var newValue = NewSecretValues.Of(context, Prompt);
        var old = System.Text.Encoding.UTF8.GetString(oldBytes);
        context.Masker.Register(old);
        RequireNewKey(newValue, old, settings.MinioSecret);

        var found = await SecretConsumers.FindAsync(context.Kubernetes, settings.Namespace, settings.MinioSecret, settings.MinioSecretKey, cancellationToken).ConfigureAwait(false);
        var ordered = found.Where(c => c.Workload == minio).Concat(found.Where(c => c.Workload != minio)).ToList();
        if (ordered.Count == 0 || ordered[0].Workload != minio)
            throw new InvalidInputException($"{minio} does not read {settings.MinioSecret}: the profile's kamonohashi.minioSecret is not MinIO's Secret.");
        var consumers = new List<(SecretConsumer, string)>();
        foreach (var consumer in ordered)
            consumers.Add((consumer, (await workloads.GetAsync(consumer.Workload, cancellationToken).ConfigureAwait(false)).PodSelector));
        return new StorageKeyRotationPlan
        {
            Settings = settings,
            SecretType = secret.Type ?? SecretSpec.OpaqueType,
            Consumers = consumers,
            Values = new StorageKeyValues(secret.Data.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), old, newValue),
        };
    }
}

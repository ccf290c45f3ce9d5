using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace KubeRunbooks.Secrets;

/// <summary>
/// Writes Secrets idempotently (created, or replaced with the resourceVersion read, so a concurrent change is a
/// conflict, not a lost update), annotated with the run that wrote them, and verifies them by reading them back and
/// comparing SHA-256 fingerprints. Logs names and fingerprints only.
/// </summary>
public sealed class SecretWriter
{
    /// <summary>The annotation naming the run that wrote the Secret last (<c>HOST:PID:RUN</c>).</summary>
    public const string WrittenByAnnotation = "kuberunbooks.io/written-by";

    private readonly IKubernetes _client;
    private readonly Action<string> _log;

    /// <summary>Creates the writer.</summary>
    public SecretWriter(IKubernetes client, Action<string>? log = null)
    {
        _client = client;
        _log = log ?? (_ => { });
    }

    /// <summary>The Secret's data, or null when it does not exist.</summary>
    public async Task<V1Secret?> TryReadAsync(string ns, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Creates or replaces the Secret with exactly <paramref name="spec"/>'s data, annotated with <paramref name="runId"/>.</summary>
    public async Task<SecretWriteOutcome> WriteAsync(SecretSpec spec, string runId, CancellationToken cancellationToken = default)
    {
        var existing = await TryReadAsync(spec.Namespace, spec.Name, cancellationToken).ConfigureAwait(false);
        var data = spec.Data.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var outcome = SecretWriteOutcome.Created;
        if (existing is not null && (existing.Type ?? SecretSpec.OpaqueType) == spec.Type)
        {
            existing.Data = data;
            existing.StringData = null;
            existing.Metadata.Annotations ??= new Dictionary<string, string>();
            existing.Metadata.Annotations[WrittenByAnnotation] = runId;
            await _client.CoreV1.ReplaceNamespacedSecretAsync(existing, spec.Name, spec.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            outcome = SecretWriteOutcome.Replaced;
        }
        else
        {
            if (existing is not null)
            {
                // The type of a Secret is immutable: the only way to another type is delete, then create.
                await _client.CoreV1.DeleteNamespacedSecretAsync(spec.Name, spec.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                outcome = SecretWriteOutcome.Recreated;
            }

            var secret = new V1Secret
            {
                Metadata = new V1ObjectMeta
                {
                    Name = spec.Name,
                    NamespaceProperty = spec.Namespace,
                    Labels = existing?.Metadata.Labels,
                    Annotations = new Dictionary<string, string>(existing?.Metadata.Annotations ?? new Dictionary<string, string>()) { [WrittenByAnnotation] = runId },
                },
                Type = spec.Type,
                Data = data,
            };
            await _client.CoreV1.CreateNamespacedSecretAsync(secret, spec.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        _log($"{outcome} {spec} ({spec.Type}): {SecretFingerprints.Describe(spec.Fingerprints())}.");
        return outcome;
    }

    /// <summary>
    /// Reads the Secret back and compares the SHA-256 fingerprint of every key with <paramref name="spec"/>'s; raises
    /// <see cref="InvalidDataException"/> naming the keys that differ (fingerprints only).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> VerifyAsync(SecretSpec spec, CancellationToken cancellationToken = default)
    {
        var secret = await TryReadAsync(spec.Namespace, spec.Name, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"{spec} is missing after it was written.");
        var expected = spec.Fingerprints();
        var actual = SecretFingerprints.Of((IReadOnlyDictionary<string, byte[]>)(secret.Data ?? new Dictionary<string, byte[]>()).AsReadOnly());
        if ((secret.Type ?? SecretSpec.OpaqueType) != spec.Type)
            throw new InvalidDataException($"{spec} has type {secret.Type}, expected {spec.Type}.");
        if (!SecretFingerprints.Same(expected, actual))
        {
            var differing = expected.Keys.Union(actual.Keys).Where(k => !expected.TryGetValue(k, out var e) || !actual.TryGetValue(k, out var a) || e != a).Order(StringComparer.Ordinal);
            throw new InvalidDataException($"{spec} read back differs from what was written in {string.Join(", ", differing)} (expected {SecretFingerprints.Describe(expected)}; found {SecretFingerprints.Describe(actual)}).");
        }

        _log($"Verified {spec}: {SecretFingerprints.Describe(actual)}.");
        return actual;
    }
}

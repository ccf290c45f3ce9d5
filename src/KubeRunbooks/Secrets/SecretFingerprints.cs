using System.Security.Cryptography;

namespace KubeRunbooks.Secrets;

/// <summary>SHA-256 fingerprints of secret values: what may be logged, compared and reported instead of the values.</summary>
public static class SecretFingerprints
{
    /// <summary>Lowercase hex SHA-256 of the bytes.</summary>
    public static string Of(byte[] value) => Convert.ToHexStringLower(SHA256.HashData(value));

    /// <summary>The fingerprint of each key.</summary>
    public static IReadOnlyDictionary<string, string> Of(IReadOnlyDictionary<string, byte[]> data) =>
        data.ToDictionary(p => p.Key, p => Of(p.Value), StringComparer.Ordinal);

    /// <summary>True when both hold the same keys with the same fingerprints.</summary>
    public static bool Same(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);

    /// <summary>"tls.crt ab12cd34ef56, tls.key 9f8e7d6c5b4a" (the first 12 hex digits of each).</summary>
    public static string Describe(IReadOnlyDictionary<string, string> fingerprints) =>
        string.Join(", ", fingerprints.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value[..12]}"));
}

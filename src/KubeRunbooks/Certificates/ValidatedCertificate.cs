using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KubeRunbooks.Certificates;

/// <summary>A certificate chain and key that passed every check: what the report and the later steps need.</summary>
/// <param name="Chain">The certificates of the file, leaf first.</param>
/// <param name="HostChecked">The domain checked against the SANs, or null when the profile names none.</param>
public sealed record ValidatedCertificate(IReadOnlyList<X509Certificate2> Chain, string? HostChecked)
{
    /// <summary>The leaf (the first certificate).</summary>
    public X509Certificate2 Leaf => Chain[0];

    /// <summary>The leaf's SHA-256 fingerprint (lowercase hex of the DER), as <see cref="Fingerprint(X509Certificate2)"/>.</summary>
    public string LeafFingerprint => Fingerprint(Leaf);

    /// <summary>When the leaf expires.</summary>
    public DateTimeOffset NotAfter => new(Leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero);

    /// <summary>SHA-256 of a certificate's DER, lowercase hex: the same value <c>openssl x509 -fingerprint -sha256</c> prints.</summary>
    public static string Fingerprint(X509Certificate2 certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    /// <summary>"CN=x (expires 2027-01-01, sha256 ab12…)" for lines.</summary>
    public string Describe() => $"{Leaf.Subject} (expires {NotAfter:yyyy-MM-dd HH:mm} UTC, sha256 {LeafFingerprint[..16]})";
}

using System.Security.Cryptography.X509Certificates;

namespace KubeRunbooks.Certificates;

/// <summary>
/// Whether a certificate is valid for a DNS name, as browsers decide it (RFC 6125): only the subject alternative
/// names count (not the common name); a wildcard is the whole left-most label and stands for exactly one label.
/// </summary>
public static class HostNameMatch
{
    /// <summary>The DNS names of the certificate's subject alternative name extension.</summary>
    public static IReadOnlyList<string> DnsNames(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()).ToList();

    /// <summary>True when a SAN of <paramref name="certificate"/> matches <paramref name="host"/>.</summary>
    /// <param name="certificate">The leaf.</param>
    /// <param name="host">A DNS name; a wildcard host (<c>*.example.com</c>) needs that same wildcard in the SAN.</param>
    public static bool Matches(X509Certificate2 certificate, string host) => DnsNames(certificate).Any(name => Matches(name, host));

    /// <summary>True when one SAN DNS name matches <paramref name="host"/>.</summary>
    public static bool Matches(string sanName, string host)
    {
        var pattern = Normalise(sanName);
        var name = Normalise(host);
        if (pattern.Length == 0 || name.Length == 0) return false;
        if (name.StartsWith("*.", StringComparison.Ordinal) || !pattern.StartsWith("*.", StringComparison.Ordinal))
            return string.Equals(pattern, name, StringComparison.Ordinal);
        // "*.example.com": one label, not empty, then exactly the rest; never the bare parent, never two labels.
        var suffix = pattern[1..];
        if (suffix.Count(c => c == '.') < 2) return false; // "*.com" is refused by browsers
        if (!name.EndsWith(suffix, StringComparison.Ordinal)) return false;
        var label = name[..^suffix.Length];
        return label.Length > 0 && !label.Contains('.');
    }

    private static string Normalise(string name) => name.Trim().TrimEnd('.').ToLowerInvariant();
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KubeRunbooks.Certificates;

/// <summary>
/// Checks a new TLS certificate chain and its private key before anything is installed, in this order: PEM parses,
/// the chain is complete and ordered (leaf first, each next one issued the previous one), the key matches the leaf,
/// every certificate is within its validity window, the domain matches a SAN, and the leaf expires later than the
/// one in use unless forced. The first failed check raises a <see cref="CertificateCheckException"/> naming itself and
/// the file.
/// </summary>
public static class CertificateValidator
{
    /// <summary>Runs every check.</summary>
    /// <param name="certificatePem">The certificate file's text (<c>fullchain.crt</c>).</param>
    /// <param name="certificateFile">Its name for messages.</param>
    /// <param name="keyPem">The private key file's text.</param>
    /// <param name="keyFile">Its name for messages.</param>
    /// <param name="requirements">Now, the domain, the certificate in use, --force.</param>
    public static ValidatedCertificate Validate(string certificatePem, string certificateFile, string keyPem, string keyFile, CertificateRequirements requirements)
    {
        var chain = PemFiles.ReadCertificates(certificatePem, certificateFile);
        using var key = PemFiles.ReadPrivateKey(keyPem, keyFile);
        CheckChain(chain, certificateFile, requirements.TrustedRoots);
        CheckKey(chain[0], key, keyFile);
        CheckValidity(chain, certificateFile, requirements.Now);
        if (requirements.Domain is { } domain && !HostNameMatch.Matches(chain[0], domain))
        {
            var names = HostNameMatch.DnsNames(chain[0]);
            throw new CertificateCheckException(CertificateCheck.Host, certificateFile,
                $"the certificate is not valid for {domain} (its names: {(names.Count == 0 ? "none: it has no subject alternative names" : string.Join(", ", names))})");
        }

        var validated = new ValidatedCertificate(chain, requirements.Domain);
        if (requirements.Current is { } current && !requirements.Force)
        {
            var currentNotAfter = current.NotAfter.ToUniversalTime();
            if (chain[0].NotAfter.ToUniversalTime() <= currentNotAfter)
                throw new CertificateCheckException(CertificateCheck.Expiry, certificateFile,
                    $"it expires {validated.NotAfter:yyyy-MM-dd HH:mm} UTC, not later than the certificate in use{(requirements.CurrentSource is { } s ? $" ({s})" : "")}, which expires {currentNotAfter:yyyy-MM-dd HH:mm} UTC; pass --force to install it anyway");
        }

        return validated;
    }

    private static void CheckChain(IReadOnlyList<X509Certificate2> chain, string file, IReadOnlyCollection<X509Certificate2>? trustedRoots)
    {
        if (chain[0].Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority))
            throw new CertificateCheckException(CertificateCheck.Chain, file, $"the first certificate ({chain[0].Subject}) is a CA certificate: the server's certificate (the leaf) must come first");
        for (var i = 0; i + 1 < chain.Count; i++)
        {
            var (subject, issuer) = (chain[i], chain[i + 1]);
            if (!subject.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData))
                throw new CertificateCheckException(CertificateCheck.Chain, file,
                    $"certificate {i + 2} ({issuer.Subject}) did not issue certificate {i + 1} ({subject.Subject}): the intermediate '{subject.Issuer}' is missing or out of order (the file must hold the full chain, leaf first)");
            if (!CertificateSignatures.IsSignedBy(subject, issuer))
                throw new CertificateCheckException(CertificateCheck.Chain, file,
                    $"the signature of certificate {i + 1} ({subject.Subject}) does not verify with the key of certificate {i + 2} ({issuer.Subject})");
        }

        // The last certificate must be a root itself or be issued by one; otherwise an intermediate was left out.
        var last = chain[^1];
        var selfSigned = last.SubjectName.RawData.AsSpan().SequenceEqual(last.IssuerName.RawData);
        if (selfSigned) return;
        var issuedByRoot = chain.Count > 1 || IsIssuedByTrustedRoot(last, trustedRoots);
        if (!issuedByRoot)
            throw new CertificateCheckException(CertificateCheck.Chain, file,
                $"the file holds only the leaf ({last.Subject}); the intermediate '{last.Issuer}' that issued it is missing (append every intermediate after the leaf: the full chain)");
    }

    private static bool IsIssuedByTrustedRoot(X509Certificate2 certificate, IReadOnlyCollection<X509Certificate2>? trustedRoots)
    {
        if (trustedRoots is not null) return trustedRoots.Any(r => CertificateSignatures.IsSignedBy(certificate, r));
        using var store = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
        store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        return store.Certificates.Find(X509FindType.FindBySubjectDistinguishedName, certificate.Issuer, validOnly: false)
            .Any(r => CertificateSignatures.IsSignedBy(certificate, r));
    }

    private static void CheckKey(X509Certificate2 leaf, AsymmetricAlgorithm key, string keyFile)
    {
        byte[]? leafKey = leaf.GetRSAPublicKey()?.ExportSubjectPublicKeyInfo() ?? leaf.GetECDsaPublicKey()?.ExportSubjectPublicKeyInfo();
        if (leafKey is null)
            throw new CertificateCheckException(CertificateCheck.Key, keyFile, $"the leaf ({leaf.Subject}) has neither an RSA nor an ECDSA key");
        if (!leafKey.AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
            throw new CertificateCheckException(CertificateCheck.Key, keyFile, $"the private key does not belong to the leaf certificate ({leaf.Subject})");
    }

    private static void CheckValidity(IReadOnlyList<X509Certificate2> chain, string file, DateTimeOffset now)
    {
        for (var i = 0; i < chain.Count; i++)
        {
            var c = chain[i];
            var which = i == 0 ? $"the leaf ({c.Subject})" : $"certificate {i + 1} ({c.Subject})";
            if (now.UtcDateTime < c.NotBefore.ToUniversalTime())
                throw new CertificateCheckException(CertificateCheck.Validity, file, $"{which} is not valid yet: valid from {c.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} UTC");
            if (now.UtcDateTime > c.NotAfter.ToUniversalTime())
                throw new CertificateCheckException(CertificateCheck.Validity, file, $"{which} has expired: valid until {c.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC");
        }
    }
}

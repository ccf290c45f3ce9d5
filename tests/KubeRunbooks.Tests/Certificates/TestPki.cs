using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace KubeRunbooks.Tests.Certificates;

/// <summary>
/// A throwaway PKI made in the test: a root CA, an intermediate and leaves (RSA or ECDSA), with any validity window
/// (expired and not-yet-valid ones too, which openssl's x509 -req cannot make here).
/// </summary>
public sealed class TestPki : IDisposable
{
    private readonly List<IDisposable> _owned = [];
    private readonly ECDsa _intermediateKey;

    /// <summary>Makes a root and an intermediate (RSA), valid a year either side of now.</summary>
    public TestPki(string name = "Test")
    {
        var rootKey = RSA.Create(2048);
        _owned.Add(rootKey);
        var rootRequest = new CertificateRequest($"CN={name} Root CA", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Root = Own(rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-2), DateTimeOffset.UtcNow.AddYears(10)));

        var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _owned.Add(intermediateKey);
        var intermediateRequest = new CertificateRequest($"CN={name} Intermediate CA", intermediateKey, HashAlgorithmName.SHA256);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var intermediatePublic = intermediateRequest.Create(Root.SubjectName, X509SignatureGenerator.CreateForRSA(rootKey, RSASignaturePadding.Pkcs1),
            DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(5), Serial());
        Intermediate = Own(intermediatePublic.CopyWithPrivateKey(intermediateKey));
        _intermediateKey = intermediateKey;
    }

    /// <summary>The root CA (not in any file a test installs).</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The intermediate CA (ECDSA P-256) that issues the leaves.</summary>
    public X509Certificate2 Intermediate { get; }

    /// <summary>A leaf issued by the intermediate.</summary>
    /// <param name="dnsNames">Its SAN DNS names (none: no SAN extension).</param>
    /// <param name="notBefore">Start of validity (default a day ago).</param>
    /// <param name="notAfter">End of validity (default 90 days on).</param>
    /// <param name="ecdsa">ECDSA P-256 instead of RSA 2048.</param>
    public TestLeaf Leaf(string[] dnsNames, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, bool ecdsa = false)
    {
        AsymmetricAlgorithm key = ecdsa ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : RSA.Create(2048);
        _owned.Add(key);
        var subject = $"CN={(dnsNames.Length > 0 ? dnsNames[0] : "no-san")}";
        var request = key is RSA rsa
            ? new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        if (dnsNames.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var n in dnsNames) san.AddDnsName(n);
            request.CertificateExtensions.Add(san.Build());
        }

        var certificate = Own(request.Create(Intermediate.SubjectName, X509SignatureGenerator.CreateForECDsa(_intermediateKey), notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(90), Serial()));
        return new TestLeaf(this, certificate, key);
    }

    /// <summary>PEM of certificates, concatenated.</summary>
    public static string Pem(params X509Certificate2[] certificates) =>
        string.Concat(certificates.Select(c => c.ExportCertificatePem() + "\n"));

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var o in _owned) o.Dispose();
    }

    private X509Certificate2 Own(X509Certificate2 c)
    {
        _owned.Add(c);
        return c;
    }

    private static byte[] Serial() => RandomNumberGenerator.GetBytes(12);
}

/// <summary>A leaf and its key, with the files a renewal takes.</summary>
public sealed record TestLeaf(TestPki Pki, X509Certificate2 Certificate, AsymmetricAlgorithm Key)
{
    /// <summary>fullchain.crt: the leaf, then the intermediate.</summary>
    public string FullChainPem => TestPki.Pem(Certificate, Pki.Intermediate);

    /// <summary>The key as PKCS#8 PEM.</summary>
    public string Pkcs8Pem => Key.ExportPkcs8PrivateKeyPem();

    /// <summary>The key as PKCS#1 (RSA PRIVATE KEY) or SEC 1 (EC PRIVATE KEY) PEM.</summary>
    public string TraditionalPem => Key switch
    {
        RSA rsa => rsa.ExportRSAPrivateKeyPem(),
        ECDsa ec => ec.ExportECPrivateKeyPem(),
        _ => throw new NotSupportedException(),
    };

    /// <summary>The key encrypted with a passphrase (PKCS#8 ENCRYPTED PRIVATE KEY).</summary>
    public string EncryptedPem => Key.ExportEncryptedPkcs8PrivateKeyPem("passphrase".AsSpan(), new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));

    /// <summary>The bytes of a text (files are ASCII PEM).</summary>
    public static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text);
}

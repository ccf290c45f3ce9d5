using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KubeRunbooks.Certificates;

/// <summary>
/// Whether one certificate's signature verifies with another's public key (RSA PKCS#1 v1.5 or ECDSA, SHA-1/256/384/512):
/// the "issued by" test of a chain, without asking a trust store.
/// </summary>
public static class CertificateSignatures
{
    /// <summary>True when <paramref name="issuer"/>'s key signed <paramref name="subject"/>.</summary>
    public static bool IsSignedBy(X509Certificate2 subject, X509Certificate2 issuer)
    {
        var (tbs, algorithm, signature) = Split(subject.RawData);
        var (hash, isEcdsa) = algorithm switch
        {
            "1.2.840.113549.1.1.5" => (HashAlgorithmName.SHA1, false),
            "1.2.840.113549.1.1.11" => (HashAlgorithmName.SHA256, false),
            "1.2.840.113549.1.1.12" => (HashAlgorithmName.SHA384, false),
            "1.2.840.113549.1.1.13" => (HashAlgorithmName.SHA512, false),
            "1.2.840.10045.4.1" => (HashAlgorithmName.SHA1, true),
            "1.2.840.10045.4.3.2" => (HashAlgorithmName.SHA256, true),
            "1.2.840.10045.4.3.3" => (HashAlgorithmName.SHA384, true),
            "1.2.840.10045.4.3.4" => (HashAlgorithmName.SHA512, true),
            _ => (default(HashAlgorithmName), false),
        };
        if (hash.Name is null) return false;
        if (isEcdsa)
        {
            using var ec = issuer.GetECDsaPublicKey();
            return ec is not null && ec.VerifyData(tbs, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
        }

        using var rsa = issuer.GetRSAPublicKey();
        return rsa is not null && rsa.VerifyData(tbs, signature, hash, RSASignaturePadding.Pkcs1);
    }

    // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signatureValue BIT STRING }
    private static (byte[] Tbs, string Algorithm, byte[] Signature) Split(byte[] der)
    {
        var reader = new AsnReader(der, AsnEncodingRules.DER);
        var certificate = reader.ReadSequence();
        var tbs = certificate.ReadEncodedValue().ToArray();
        var algorithm = certificate.ReadSequence().ReadObjectIdentifier();
        var signature = certificate.ReadBitString(out _);
        return (tbs, algorithm, signature);
    }
}

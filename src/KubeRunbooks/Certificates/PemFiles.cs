using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KubeRunbooks.Certificates;

/// <summary>
/// Reads PEM certificate bundles and private keys (RSA or ECDSA; PKCS#1, SEC 1 or PKCS#8) with
/// System.Security.Cryptography only. Failures are <see cref="CertificateCheckException"/>s of the
/// <see cref="CertificateCheck.Pem"/> or <see cref="CertificateCheck.Key"/> check; no message holds file content.
/// </summary>
public static class PemFiles
{
    private const string CertificateLabel = "CERTIFICATE";

    /// <summary>Every certificate of a PEM bundle, in file order.</summary>
    /// <param name="pem">The file's text.</param>
    /// <param name="file">The file's name for messages.</param>
    public static IReadOnlyList<X509Certificate2> ReadCertificates(string pem, string file)
    {
        var certificates = new List<X509Certificate2>();
        foreach (var (label, der) in Blocks(pem, file))
        {
            if (label != CertificateLabel)
                throw new CertificateCheckException(CertificateCheck.Pem, file, $"block {certificates.Count + 1} is a '{label}', not a CERTIFICATE (a certificate file holds certificates only)");
            try
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(der));
            }
            catch (CryptographicException)
            {
                throw new CertificateCheckException(CertificateCheck.Pem, file, $"certificate {certificates.Count + 1} is not a valid X.509 certificate");
            }
        }

        return certificates.Count > 0 ? certificates
            : throw new CertificateCheckException(CertificateCheck.Pem, file, "no PEM CERTIFICATE block found");
    }

    /// <summary>The private key of a PEM file: RSA or ECDSA, unencrypted. An encrypted key is refused by name.</summary>
    /// <param name="pem">The file's text.</param>
    /// <param name="file">The file's name for messages.</param>
    public static AsymmetricAlgorithm ReadPrivateKey(string pem, string file)
    {
        // Legacy OpenSSL encryption puts headers inside the block, which PEM parsing rejects: look for it first.
        if (pem.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal) || pem.Contains("BEGIN ENCRYPTED PRIVATE KEY", StringComparison.Ordinal))
            throw new CertificateCheckException(CertificateCheck.Key, file, "the private key is encrypted; an ingress and the products that read it need it without a passphrase (decrypt it with 'openssl pkey -in FILE -out FILE.plain')");
        var keys = Blocks(pem, file).Where(b => b.Label.EndsWith("PRIVATE KEY", StringComparison.Ordinal)).ToList();
        if (keys.Count != 1)
            throw new CertificateCheckException(CertificateCheck.Pem, file, keys.Count == 0 ? "no PEM PRIVATE KEY block found" : $"{keys.Count} private keys found, expected one");
        var (label, der) = keys[0];
        try
        {
            switch (label)
            {
                case "RSA PRIVATE KEY":
                {
                    var rsa = RSA.Create();
                    rsa.ImportRSAPrivateKey(der, out _);
                    return rsa;
                }
                case "EC PRIVATE KEY":
                {
                    var ec = ECDsa.Create();
                    ec.ImportECPrivateKey(der, out _);
                    return ec;
                }
                case "PRIVATE KEY":
                    return Pkcs8(der);
                default:
                    throw new CertificateCheckException(CertificateCheck.Key, file, $"a '{label}' is not an RSA or ECDSA private key");
            }
        }
        catch (CryptographicException)
        {
            throw new CertificateCheckException(CertificateCheck.Key, file, $"the {label} block is not a readable RSA or ECDSA private key");
        }
    }

    /// <summary>The public key of a PEM file (SubjectPublicKeyInfo, <c>BEGIN PUBLIC KEY</c>): its DER bytes.</summary>
    /// <param name="pem">The file's text.</param>
    /// <param name="file">The file's name for messages.</param>
    public static byte[] ReadPublicKey(string pem, string file)
    {
        var blocks = Blocks(pem, file).Where(b => b.Label is "PUBLIC KEY" or "RSA PUBLIC KEY").ToList();
        if (blocks.Count != 1)
            throw new CertificateCheckException(CertificateCheck.Pem, file, blocks.Count == 0 ? "no PEM PUBLIC KEY block found" : $"{blocks.Count} public keys found, expected one");
        try
        {
            // Parse the structure: SubjectPublicKeyInfo = SEQUENCE { AlgorithmIdentifier, BIT STRING }.
            var reader = new System.Formats.Asn1.AsnReader(blocks[0].Der, System.Formats.Asn1.AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            if (blocks[0].Label == "PUBLIC KEY")
            {
                sequence.ReadSequence();
                sequence.ReadBitString(out _);
            }
            else
            {
                sequence.ReadInteger();
                sequence.ReadInteger();
            }
            sequence.ThrowIfNotEmpty();
            return blocks[0].Der;
        }
        catch (System.Formats.Asn1.AsnContentException)
        {
            throw new CertificateCheckException(CertificateCheck.Pem, file, "the PUBLIC KEY block is not a valid public key structure");
        }
    }

    private static AsymmetricAlgorithm Pkcs8(byte[] der)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportPkcs8PrivateKey(der, out _);
            return rsa;
        }
        catch (CryptographicException)
        {
            rsa.Dispose();
        }

        var ec = ECDsa.Create();
        ec.ImportPkcs8PrivateKey(der, out _);
        return ec;
    }

    private static List<(string Label, byte[] Der)> Blocks(string pem, string file)
    {
        var blocks = new List<(string, byte[])>();
        var rest = pem.AsMemory();
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            var label = rest.Span[fields.Label].ToString();
            var der = new byte[fields.DecodedDataLength];
            if (!Convert.TryFromBase64Chars(rest.Span[fields.Base64Data], der, out _))
                throw new CertificateCheckException(CertificateCheck.Pem, file, $"the {label} block is not valid base64");
            blocks.Add((label, der));
            rest = rest[fields.Location.End..];
        }

        return blocks.Count > 0 ? blocks : throw new CertificateCheckException(CertificateCheck.Pem, file, "no PEM block found (the file is not PEM)");
    }
}

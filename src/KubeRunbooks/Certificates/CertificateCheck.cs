namespace KubeRunbooks.Certificates;

/// <summary>The checks a new certificate and key pass before anything is installed, named in every refusal.</summary>
public enum CertificateCheck
{
    /// <summary>The file parses as PEM of the expected kind.</summary>
    Pem,

    /// <summary>The leaf comes first and each next certificate issued the previous one; no intermediate is missing.</summary>
    Chain,

    /// <summary>The private key is readable (not encrypted) and belongs to the leaf.</summary>
    Key,

    /// <summary>The validity window of every certificate of the chain contains now.</summary>
    Validity,

    /// <summary>The domain matches a subject alternative name of the leaf.</summary>
    Host,

    /// <summary>The new leaf expires later than the one in use.</summary>
    Expiry,
}

namespace KubeRunbooks.Tasks.Vantiq.Secrets;

/// <summary>The certificate and license target names of seed 002 (the public interface).</summary>
public static class SecretTargets
{
    /// <summary>New SSL certificate and key: files archived and installed, both TLS secrets written and verified.</summary>
    public const string RenewSslCertificate = "RenewSslCertificate";

    /// <summary>Back to an archived certificate set.</summary>
    public const string RollbackSslCertificate = "RollbackSslCertificate";

    /// <summary>New license files: archived and installed, the license secret written, Vantiq restarted.</summary>
    public const string RenewLicense = "RenewLicense";

    /// <summary>Back to an archived license set.</summary>
    public const string RollbackLicense = "RollbackLicense";
}

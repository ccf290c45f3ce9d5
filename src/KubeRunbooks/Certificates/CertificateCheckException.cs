using KubeRunbooks.Errors;

namespace KubeRunbooks.Certificates;

/// <summary>
/// A certificate or key failed one check: invalid input (exit 2, nothing changed). The message names the check and the
/// file and never holds key material.
/// </summary>
public sealed class CertificateCheckException : InvalidInputException
{
    /// <summary>Creates the refusal.</summary>
    /// <param name="check">The check that failed.</param>
    /// <param name="file">The file it failed on, as the operator named it.</param>
    /// <param name="detail">What is wrong, one sentence.</param>
    public CertificateCheckException(CertificateCheck check, string file, string detail)
        : base($"certificate check '{check.ToString().ToLowerInvariant()}' failed for {file}: {detail}")
    {
        Check = check;
        File = file;
    }

    /// <summary>The check that failed.</summary>
    public CertificateCheck Check { get; }

    /// <summary>The file it failed on.</summary>
    public string File { get; }
}

using System.Security.Cryptography.X509Certificates;

namespace KubeRunbooks.Certificates;

/// <summary>What a new certificate is checked against.</summary>
public sealed record CertificateRequirements
{
    /// <summary>The time the validity window must contain.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>The DNS name the leaf must be valid for, or null to skip the host check.</summary>
    public string? Domain { get; init; }

    /// <summary>The leaf in use now (e.g. read from the Secret), or null when there is none.</summary>
    public X509Certificate2? Current { get; init; }

    /// <summary>Where <see cref="Current"/> was read, for the message (e.g. <c>secret vantiq/vantiq-ssl-cert</c>).</summary>
    public string? CurrentSource { get; init; }

    /// <summary>Accept a leaf that does not expire later than <see cref="Current"/>.</summary>
    public bool Force { get; init; }

    /// <summary>
    /// The roots a single-certificate file may be issued by directly; null for the machine's root store. Tests pass
    /// their own so that the answer does not depend on the machine.
    /// </summary>
    public IReadOnlyCollection<X509Certificate2>? TrustedRoots { get; init; }
}

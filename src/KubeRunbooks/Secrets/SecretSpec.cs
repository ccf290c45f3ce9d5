namespace KubeRunbooks.Secrets;

/// <summary>A Secret as a runbook wants it: where, which type, which keys with which bytes.</summary>
/// <param name="Namespace">The namespace.</param>
/// <param name="Name">The Secret's name.</param>
/// <param name="Type"><c>kubernetes.io/tls</c>, <c>Opaque</c>, ...</param>
/// <param name="Data">The keys and their bytes (never logged).</param>
public sealed record SecretSpec(string Namespace, string Name, string Type, IReadOnlyDictionary<string, byte[]> Data)
{
    /// <summary>The type of TLS secrets (keys <c>tls.crt</c> and <c>tls.key</c>).</summary>
    public const string TlsType = "kubernetes.io/tls";

    /// <summary>The type of generic secrets.</summary>
    public const string OpaqueType = "Opaque";

    /// <summary>A <c>kubernetes.io/tls</c> Secret from the chain and key files' bytes.</summary>
    public static SecretSpec Tls(string ns, string name, byte[] certificateChain, byte[] privateKey) =>
        new(ns, name, TlsType, new Dictionary<string, byte[]> { ["tls.crt"] = certificateChain, ["tls.key"] = privateKey });

    /// <summary>The SHA-256 fingerprint of each key's bytes.</summary>
    public IReadOnlyDictionary<string, string> Fingerprints() => SecretFingerprints.Of(Data);

    /// <summary><c>secret NS/NAME</c>, never the data.</summary>
    public override string ToString() => $"secret {Namespace}/{Name}";
}

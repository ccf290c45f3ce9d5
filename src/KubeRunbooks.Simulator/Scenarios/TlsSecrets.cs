using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace KubeRunbooks.Simulator.Scenarios;

/// <summary>
/// Fills an empty <c>kubernetes.io/tls</c> Secret of a scenario with a fresh self-signed certificate,
/// so that scenario files carry no key material. The host name comes from the annotation
/// <see cref="CommonNameAnnotation"/> (default <c>localhost</c>); it is valid for 90 days.
/// </summary>
public static class TlsSecrets
{
    /// <summary>The annotation naming the certificate's host.</summary>
    public const string CommonNameAnnotation = "simulator.kuberunbooks/common-name";

    /// <summary>Adds tls.crt and tls.key to a TLS Secret that has neither data nor stringData.</summary>
    public static void FillIfEmpty(JsonObject secret)
    {
        if ((string?)secret["type"] != "kubernetes.io/tls") return;
        if (secret["data"] is JsonObject { Count: > 0 } || secret["stringData"] is JsonObject { Count: > 0 }) return;
        var host = (string?)secret["metadata"]?["annotations"]?[CommonNameAnnotation] ?? "localhost";
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90));
        secret["data"] = new JsonObject
        {
            ["tls.crt"] = Base64(certificate.ExportCertificatePem()),
            ["tls.key"] = Base64(key.ExportPkcs8PrivateKeyPem()),
        };
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.ASCII.GetBytes(text + "\n"));
}

using KubeRunbooks.Clusters.Yaml;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>The secret names of a Vantiq install.</summary>
public sealed record VantiqSecretNames
{
    /// <summary>The TLS secret in the Vantiq namespace.</summary>
    public string Ssl { get; init; } = "vantiq-ssl-cert";

    /// <summary>The TLS secret of the ingress, in the shared namespace.</summary>
    public string IngressSsl { get; init; } = "default-ssl-cert";

    /// <summary>The secret holding <c>license.key</c> and <c>public.pem</c>.</summary>
    public string License { get; init; } = "vantiq-license";

    /// <summary>Reads <c>vantiq.secrets</c>.</summary>
    public static VantiqSecretNames Read(YamlSection section)
    {
        var d = new VantiqSecretNames();
        var secrets = new VantiqSecretNames
        {
            Ssl = section.ObjectName("ssl", d.Ssl),
            IngressSsl = section.ObjectName("ingressSsl", d.IngressSsl),
            License = section.ObjectName("license", d.License),
        };
        section.RejectUnknownKeys();
        return secrets;
    }
}

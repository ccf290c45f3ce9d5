using KubeRunbooks.Clusters.Yaml;

namespace KubeRunbooks.Tasks.Vantiq.Secrets;

/// <summary>
/// <c>vantiq.secretCommands</c>: the vendor's commands that write the Secrets from the sensitive folder, used instead of
/// the tool writing them (the seed's <c>./gradlew -Pcluster=NAME generateSecrets</c>, then <c>deployVantiq</c> and, for the
/// certificate, <c>deployNginx</c>). They run through Cake's process runner in <see cref="WorkingDirectory"/>; no secret
/// is put on their command lines, and the tool still reads the Secrets back and compares their fingerprints.
/// </summary>
public sealed record SecretCommandSettings
{
    /// <summary>Generates the Secrets' manifests from the sensitive folder (<c>generateSecrets</c>).</summary>
    public required string Generate { get; init; }

    /// <summary>Applies the Vantiq namespace's Secrets (<c>deployVantiq</c>: <c>vantiq-ssl-cert</c>, the license).</summary>
    public required string DeployVantiq { get; init; }

    /// <summary>Applies the ingress Secret (<c>deployNginx</c>: <c>shared/default-ssl-cert</c>); run for the certificate only.</summary>
    public required string DeployNginx { get; init; }

    /// <summary>The folder they run in (<c>~</c> expanded); defaults to <c>vantiq.deploy.workingDirectory</c>, else the current folder.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The commands a target runs, in order: every one for the certificate, <c>deployNginx</c> left out for the license.</summary>
    public IReadOnlyList<(string Name, string Command)> For(bool certificate) => certificate
        ? [("generate", Generate), ("deployVantiq", DeployVantiq), ("deployNginx", DeployNginx)]
        : [("generate", Generate), ("deployVantiq", DeployVantiq)];

    /// <summary>Reads the section: <c>generate</c>, <c>deployVantiq</c> and <c>deployNginx</c> are all required (a partial set would leave a Secret unwritten).</summary>
    public static SecretCommandSettings Read(YamlSection section, PathExpander paths, string? defaultWorkingDirectory)
    {
        string Required(string key) => section.String(key, null) is { Length: > 0 } text ? text
            : throw section.FailHere($"{key} is required (the vendor's command for it, e.g. ./gradlew -Pcluster=NAME {(key == "generate" ? "generateSecrets" : key)})");
        var settings = new SecretCommandSettings
        {
            Generate = Required("generate"),
            DeployVantiq = Required("deployVantiq"),
            DeployNginx = Required("deployNginx"),
            WorkingDirectory = paths.Expand(section.String("workingDirectory", null)) ?? defaultWorkingDirectory,
        };
        section.RejectUnknownKeys();
        return settings;
    }
}

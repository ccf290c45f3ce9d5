using KubeRunbooks.Clusters.Yaml;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>
/// How a version is deployed: with no command, the tool patches the image tag of the workload itself;
/// with a command (e.g. <c>./gradlew -Pcluster=prod deployVantiq</c>), it runs that instead.
/// </summary>
public sealed record DeploySettings
{
    /// <summary>The deploy command line, or <c>null</c> for the built-in image patch.</summary>
    public string? Command { get; init; }

    /// <summary>The folder the command runs in, with <c>~</c> expanded, or <c>null</c> for the current one.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Whether the built-in image patch is used.</summary>
    public bool PatchesImage => Command is null;

    /// <summary>Reads <c>vantiq.deploy</c>: a working directory needs a command.</summary>
    public static DeploySettings Read(YamlSection section, PathExpander paths)
    {
        var deploy = new DeploySettings
        {
            Command = section.String("command", null),
            WorkingDirectory = paths.Expand(section.String("workingDirectory", null)),
        };
        section.RejectUnknownKeys();
        if (deploy.Command is null && deploy.WorkingDirectory is not null)
        {
            throw section.FailHere("workingDirectory needs a command");
        }

        return deploy;
    }
}

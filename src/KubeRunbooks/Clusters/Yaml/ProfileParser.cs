using KubeRunbooks.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeRunbooks.Clusters.Yaml;

/// <summary>
/// Turns the text of a profile file into a <see cref="ClusterProfile"/>, checking every key and value.
/// Reads the YAML node tree rather than deserializing so each complaint can name the line and key.
/// </summary>
internal static class ProfileParser
{
    /// <summary>Parses and validates one profile; every problem is an <see cref="InvalidInputException"/> of one line.</summary>
    /// <param name="name">The profile name.</param>
    /// <param name="file">The file path as shown to the operator.</param>
    /// <param name="text">The file's content.</param>
    /// <param name="homeDirectory">What <c>~</c> expands to.</param>
    /// <param name="timeoutDefaults">Timeouts the profile does not set; defaults to <see cref="TimeoutSettings"/>'s own.</param>
    public static ClusterProfile Parse(string name, string file, string text, string homeDirectory, TimeoutSettings? timeoutDefaults = null)
    {
        var root = ReadRoot(file, text);
        var paths = new PathExpander(homeDirectory);
        var profile = new ClusterProfile
        {
            Name = name,
            SourcePath = file,
            Connection = ReadConnection(root.Section("connection"), paths),
            Timeouts = ReadTimeouts(root.Section("timeouts"), timeoutDefaults ?? new TimeoutSettings()),
            Backups = ReadBackups(root.Section("backups"), paths),
            Schedule = root.Parsed("schedule", WeeklySchedule.Empty, text =>
                WeeklySchedule.TryParse(text, out var schedule, out var error) ? (schedule, null) : (null, error)),
            Vantiq = root.Section("vantiq") is { } vantiq ? ReadVantiq(vantiq, paths) : null,
            Kamonohashi = root.Section("kamonohashi") is { } kqi ? ReadKamonohashi(kqi) : null,
            Exastro = root.Section("exastro") is { } exastro ? ReadExastro(exastro) : null,
            ThreeScale = root.Section("threescale") is { } threeScale ? ReadThreeScale(threeScale) : null,
            OpenShift = root.Section("openshift") is { } openShift ? ReadOpenShift(openShift) : null,
        };
        root.RejectUnknownKeys();
        return profile;
    }

    private static YamlSection ReadRoot(string file, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            // YamlDotNet prefixes its message with the mark range; the line is reported our way instead.
            var reason = e.InnerException?.Message ?? e.Message;
            var cut = reason.IndexOf("): ", StringComparison.Ordinal);
            reason = reason.StartsWith("(Line", StringComparison.Ordinal) && cut >= 0 ? reason[(cut + 3)..] : reason;
            throw new InvalidInputException($"{file}:{e.Start.Line}: YAML syntax error: {reason.Trim()}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way when the text ends inside an open flow collection.
            var lastLine = text.TrimEnd().Split('\n').Length;
            throw new InvalidInputException($"{file}:{lastLine}: YAML syntax error: the file ends inside an unclosed [ ], {{ }} or quote");
        }

        if (stream.Documents.Count == 0)
        {
            throw new InvalidInputException($"{file}:1: the profile is empty (it needs at least a connection section)");
        }

        if (stream.Documents.Count > 1)
        {
            throw new InvalidInputException($"{file}:{stream.Documents[1].RootNode.Start.Line}: a profile is one YAML document, found several");
        }

        var node = stream.Documents[0].RootNode;
        if (node is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            throw new InvalidInputException($"{file}:1: the profile is empty (it needs at least a connection section)");
        }

        return YamlSection.From(file, "", node);
    }

    private static ConnectionSettings ReadConnection(YamlSection? section, PathExpander paths)
    {
        if (section is null)
        {
            return new ConnectionSettings();
        }

        var simulatorSection = section.Section("simulator");
        var connection = new ConnectionSettings
        {
            Kubeconfig = paths.Expand(section.String("kubeconfig", null)),
            Context = section.String("context", null),
            InCluster = section.Bool("inCluster", false),
            Simulator = simulatorSection is null ? null : ReadSimulator(simulatorSection, paths),
            KubeconfigLine = section.LineOf("kubeconfig"),
            ContextLine = section.LineOf("context"),
        };
        section.RejectUnknownKeys();

        var kinds = new[]
        {
            connection.Kubeconfig is not null || connection.Context is not null ? "kubeconfig/context" : null,
            connection.InCluster ? "inCluster" : null,
            connection.Simulator is not null ? "simulator" : null,
        }.OfType<string>().ToList();
        if (kinds.Count > 1)
        {
            throw section.FailHere($"choose one way to connect, found {string.Join(" and ", kinds)}");
        }

        return connection;
    }

    private static SimulatorSettings ReadSimulator(YamlSection section, PathExpander paths)
    {
        var defaults = new SimulatorSettings();
        var simulator = new SimulatorSettings
        {
            Scenario = section.Name("scenario", defaults.Scenario, KubernetesNames.IsLabel, "a scenario name (lower case letters, digits, '-')"),
            StateFolder = paths.Expand(section.String("stateFolder", null)),
        };
        section.RejectUnknownKeys();
        return simulator;
    }

    private static TimeoutSettings ReadTimeouts(YamlSection? section, TimeoutSettings d)
    {
        if (section is null)
        {
            return d;
        }

        var timeouts = new TimeoutSettings
        {
            Default = section.Duration("default", d.Default),
            PodReady = section.Duration("podReady", d.PodReady),
            Job = section.Duration("job", d.Job),
            Rollout = section.Duration("rollout", d.Rollout),
            Migration = section.Duration("migration", d.Migration),
            Deploy = section.Duration("deploy", d.Deploy),
        };
        section.RejectUnknownKeys();
        return timeouts;
    }

    private static BackupSettings ReadBackups(YamlSection? section, PathExpander paths)
    {
        var d = new BackupSettings();
        if (section is null)
        {
            return d;
        }

        var backups = new BackupSettings
        {
            Folder = paths.Expand(section.String("folder", null)) ?? d.Folder,
            Retention = section.Int("retention", d.Retention, minimum: 1),
        };
        section.RejectUnknownKeys();
        return backups;
    }

    private static VantiqSettings ReadVantiq(YamlSection section, PathExpander paths)
    {
        var d = new VantiqSettings();
        var deploy = section.Section("deploy");
        var secrets = section.Section("secrets");
        var vantiq = new VantiqSettings
        {
            Namespace = Namespace(section, "namespace", d.Namespace),
            SharedNamespace = Namespace(section, "sharedNamespace", d.SharedNamespace),
            Server = new WorkloadRef(ObjectName(section, "statefulSet", d.Server.Name), section.Int("replicas", d.Server.Replicas, minimum: 1)),
            OptionalWorkloads = ReadOptionalWorkloads(section, d.OptionalWorkloads),
            BackupCronJob = ObjectName(section, "backupCronJob", d.BackupCronJob),
            MigrationContainer = section.Name("migrationContainer", d.MigrationContainer, KubernetesNames.IsLabel, "a container name (DNS-1123 label)"),
            ImageRepository = section.Name("imageRepository", d.ImageRepository, IsImageRepository, "an image repository without a tag, like vantiq/vantiq-server"),
            RestoreCommand = section.String("restoreCommand", null) ?? d.RestoreCommand,
            Deploy = deploy is null ? d.Deploy : ReadDeploy(deploy, paths),
            Secrets = secrets is null ? d.Secrets : ReadSecrets(secrets),
            SensitiveFolder = paths.Expand(section.String("sensitiveFolder", null)) ?? d.SensitiveFolder,
            Domain = section.Parsed<string?>("domain", null, text =>
                KubernetesNames.IsSubdomain(text.TrimStart('*', '.')) ? (text, null) : (null, $"'{text}' is not a DNS name")),
        };
        section.RejectUnknownKeys();
        return vantiq;
    }

    private static IReadOnlyList<WorkloadRef> ReadOptionalWorkloads(YamlSection parent, IReadOnlyList<WorkloadRef> defaults)
    {
        var section = parent.Section("optionalWorkloads");
        if (section is null)
        {
            return defaults;
        }

        var list = new List<WorkloadRef>();
        foreach (var (name, value) in section.Entries().ToList())
        {
            if (!KubernetesNames.IsSubdomain(name))
            {
                throw section.Fail(value, name, $"'{name}' is not an object name (DNS-1123)");
            }

            list.Add(new WorkloadRef(name, section.Int(name, 1, minimum: 0), Optional: true));
        }

        return list;
    }

    private static DeploySettings ReadDeploy(YamlSection section, PathExpander paths)
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

    private static VantiqSecretNames ReadSecrets(YamlSection section)
    {
        var d = new VantiqSecretNames();
        var secrets = new VantiqSecretNames
        {
            Ssl = ObjectName(section, "ssl", d.Ssl),
            IngressSsl = ObjectName(section, "ingressSsl", d.IngressSsl),
            License = ObjectName(section, "license", d.License),
        };
        section.RejectUnknownKeys();
        return secrets;
    }

    private static KamonohashiSettings ReadKamonohashi(YamlSection section)
    {
        var d = new KamonohashiSettings();
        var kqi = new KamonohashiSettings
        {
            Namespace = Namespace(section, "namespace", d.Namespace),
            Database = d.Database with { Name = ObjectName(section, "databaseDeployment", d.Database.Name) },
            Application = d.Application with
            {
                Name = ObjectName(section, "appDeployment", d.Application.Name),
                Replicas = section.Int("appReplicas", d.Application.Replicas, minimum: 1),
            },
            SettingsConfigMap = section.String("settingsConfigMap", null) is null ? null : ObjectName(section, "settingsConfigMap", ""),
        };
        section.RejectUnknownKeys();
        return kqi;
    }

    private static ExastroSettings ReadExastro(YamlSection section)
    {
        var d = new ExastroSettings();
        var exastro = new ExastroSettings
        {
            Namespace = Namespace(section, "namespace", d.Namespace),
            StorageClaim = ObjectName(section, "storageClaim", d.StorageClaim),
            MaintenanceImage = section.String("maintenanceImage", null) ?? d.MaintenanceImage,
        };
        section.RejectUnknownKeys();
        return exastro;
    }

    private static ThreeScaleSettings ReadThreeScale(YamlSection section)
    {
        var threeScale = new ThreeScaleSettings { Namespace = Namespace(section, "namespace", new ThreeScaleSettings().Namespace) };
        section.RejectUnknownKeys();
        return threeScale;
    }

    private static OpenShiftSettings ReadOpenShift(YamlSection section)
    {
        var openShift = new OpenShiftSettings { DebugImage = section.String("debugImage", null) ?? new OpenShiftSettings().DebugImage };
        section.RejectUnknownKeys();
        return openShift;
    }

    private static string Namespace(YamlSection section, string key, string fallback) =>
        section.Name(key, fallback, KubernetesNames.IsLabel, "a namespace name (DNS-1123: lower case letters, digits, '-', at most 63)");

    private static string ObjectName(YamlSection section, string key, string fallback) =>
        section.Name(key, fallback, KubernetesNames.IsSubdomain, "an object name (DNS-1123: lower case letters, digits, '-', '.')");

    private static bool IsImageRepository(string text) =>
        text.Length > 0 && !text.Contains('@') && !text.Any(char.IsWhiteSpace) && !text[(text.LastIndexOf('/') + 1)..].Contains(':');
}

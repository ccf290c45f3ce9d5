using KubeRunbooks.Clusters.Products;
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
    /// <param name="products">The product sections this host knows (each read by its own module); any other top-level key is rejected.</param>
    public static ClusterProfile Parse(string name, string file, string text, string homeDirectory, TimeoutSettings? timeoutDefaults = null, IReadOnlyList<ProductSection>? products = null)
    {
        var root = ReadRoot(file, text);
        var paths = new PathExpander(homeDirectory);
        var profile = new ClusterProfile
        {
            Name = name,
            SourcePath = file,
            Connection = ReadConnection(root.Section("connection"), paths),
            Production = root.Bool("production", false),
            Timeouts = ReadTimeouts(root.Section("timeouts"), timeoutDefaults ?? new TimeoutSettings()),
            Backups = ReadBackups(root.Section("backups"), paths),
            Schedule = root.Parsed("schedule", WeeklySchedule.Empty, text =>
                WeeklySchedule.TryParse(text, out var schedule, out var error) ? (schedule, null) : (null, error)),
            Products = ReadProducts(root, paths, products ?? []),
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
            KeepDaily = section.Int("keepDaily", d.KeepDaily, minimum: 0),
            KeepWeekly = section.Int("keepWeekly", d.KeepWeekly, minimum: 0),
            KeepMonthly = section.Int("keepMonthly", d.KeepMonthly, minimum: 0),
        };
        section.RejectUnknownKeys();
        return backups;
    }

    private static ProductSections ReadProducts(YamlSection root, PathExpander paths, IReadOnlyList<ProductSection> products) =>
        ProductSections.Of(products
            .Select(product => root.Section(product.Key) is { } section ? Read(product, section, paths) : null)
            .OfType<IProductSettings>());

    private static IProductSettings Read(ProductSection product, YamlSection section, PathExpander paths)
    {
        var settings = product.Read(section, paths);
        section.RejectUnknownKeys();
        return settings;
    }
}

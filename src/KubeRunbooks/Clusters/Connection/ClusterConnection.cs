using k8s;
using k8s.Exceptions;
using KubeRunbooks.Errors;

namespace KubeRunbooks.Clusters.Connection;

/// <summary>How a profile reaches its cluster.</summary>
public enum ConnectionKind
{
    /// <summary>The embedded simulated cluster: the host starts it and builds the client itself.</summary>
    Simulated,

    /// <summary>A kubeconfig file and context.</summary>
    Kubeconfig,

    /// <summary>The service account of the pod this process runs in.</summary>
    InCluster,
}

/// <summary>
/// A profile's connection, resolved: either a <see cref="KubernetesClientConfiguration"/> ready for
/// <see cref="CreateClient"/>, or "simulated" with the simulator settings for the host to start it.
/// </summary>
public sealed class ClusterConnection
{
    private ClusterConnection(ConnectionKind kind, KubernetesClientConfiguration? configuration, SimulatorSettings? simulator, string description)
    {
        Kind = kind;
        Configuration = configuration;
        Simulator = simulator;
        Description = description;
    }

    /// <summary>How the cluster is reached.</summary>
    public ConnectionKind Kind { get; }

    /// <summary>The client configuration, or <c>null</c> when <see cref="Kind"/> is <see cref="ConnectionKind.Simulated"/>.</summary>
    public KubernetesClientConfiguration? Configuration { get; }

    /// <summary>The simulator settings when simulated, else <c>null</c>.</summary>
    public SimulatorSettings? Simulator { get; }

    /// <summary>A line for logs and reports (no credentials), e.g. <c>kubeconfig /home/ops/.kube/config, context prod</c>.</summary>
    public string Description { get; }

    /// <summary>Whether the host must start the embedded simulated cluster.</summary>
    public bool IsSimulated => Kind == ConnectionKind.Simulated;

    /// <summary>
    /// Resolves the profile's connection. Throws <see cref="InvalidInputException"/> (one line) when the
    /// kubeconfig is missing or unreadable, the context is absent, or in-cluster is asked outside a pod.
    /// </summary>
    /// <param name="profile">The loaded profile.</param>
    /// <param name="environment">Reads environment variables (KUBECONFIG); defaults to the process environment.</param>
    /// <param name="homeDirectory">The home folder for <c>~/.kube/config</c>; defaults to the user's.</param>
    public static ClusterConnection Resolve(ClusterProfile profile, Func<string, string?>? environment = null, string? homeDirectory = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        homeDirectory ??= Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var settings = profile.Connection;
        if (settings.Simulator is { } simulator)
        {
            return new ClusterConnection(ConnectionKind.Simulated, null, simulator, $"simulated cluster, scenario {simulator.Scenario}");
        }

        if (settings.InCluster)
        {
            return ResolveInCluster(profile);
        }

        return ResolveKubeconfig(profile, environment, homeDirectory);
    }

    /// <summary>Checks that the profile's connection can be resolved, without keeping the result.</summary>
    public static void Validate(ClusterProfile profile, Func<string, string?>? environment = null, string? homeDirectory = null) =>
        Resolve(profile, environment, homeDirectory);

    /// <summary>Creates a KubernetesClient for a real cluster; a simulated connection has no configuration here.</summary>
    public IKubernetes CreateClient() =>
        new k8s.Kubernetes(Configuration ?? throw new InvalidOperationException("A simulated connection gets its client from the simulator host."));

    private static ClusterConnection ResolveInCluster(ClusterProfile profile)
    {
        if (!KubernetesClientConfiguration.IsInCluster())
        {
            throw new InvalidInputException(
                $"{profile.SourcePath}: connection.inCluster: this process is not running in a pod (no service account token found)");
        }

        try
        {
            return new ClusterConnection(ConnectionKind.InCluster, KubernetesClientConfiguration.InClusterConfig(), null, "in-cluster service account");
        }
        catch (KubeConfigException e)
        {
            throw new InvalidInputException($"{profile.SourcePath}: connection.inCluster: {e.Message}");
        }
    }

    private static ClusterConnection ResolveKubeconfig(ClusterProfile profile, Func<string, string?> environment, string homeDirectory)
    {
        var settings = profile.Connection;
        var fromEnvironment = environment("KUBECONFIG")?
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var (paths, origin) = settings.Kubeconfig is not null
            ? ([settings.Kubeconfig], $"{At(profile, settings.KubeconfigLine)}: connection.kubeconfig")
            : fromEnvironment.Length > 0
                ? (fromEnvironment, $"{profile.SourcePath}: KUBECONFIG")
                : (new[] { Path.Combine(homeDirectory, ".kube", "config") }, $"{profile.SourcePath}: connection (default kubeconfig)");

        // Like kubectl, a KUBECONFIG list uses the files that exist, and the first to define a context wins.
        // The client's own merge is not public, so the context's file is chosen and read by itself
        // (which also keeps certificate paths relative to that file).
        var existing = paths.Where(File.Exists).ToArray();
        if (existing.Length == 0)
        {
            throw new InvalidInputException($"{origin}: kubeconfig file '{paths[0]}' does not exist");
        }

        var shown = string.Join(Path.PathSeparator, existing);
        var files = new List<(string Path, k8s.KubeConfigModels.K8SConfiguration Config)>();
        foreach (var path in existing)
        {
            try
            {
                files.Add((path, KubernetesClientConfiguration.LoadKubeConfig(path)));
            }
            catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
            {
                // The parser's own message may quote file content (tokens), so it is not repeated.
                throw new InvalidInputException($"{origin}: '{path}' is not a readable kubeconfig file");
            }
        }

        var contexts = files.SelectMany(f => f.Config.Contexts ?? []).Select(c => c.Name).Distinct().ToList();
        var context = settings.Context ?? files.Select(f => f.Config.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c));
        if (string.IsNullOrEmpty(context))
        {
            throw new InvalidInputException(
                $"{profile.SourcePath}: connection.context: '{shown}' has no current-context; name one of: {Names(contexts)}");
        }

        var file = files.FirstOrDefault(f => f.Config.Contexts?.Any(c => c.Name == context) == true).Path;
        if (file is null)
        {
            var where = settings.Context is null ? profile.SourcePath : At(profile, settings.ContextLine);
            throw new InvalidInputException(
                $"{where}: connection.context: '{context}' is not in '{shown}' (contexts: {Names(contexts)})");
        }

        try
        {
            var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(file, context);
            return new ClusterConnection(ConnectionKind.Kubeconfig, configuration, null, $"kubeconfig {file}, context {context}");
        }
        catch (KubeConfigException e)
        {
            throw new InvalidInputException($"{profile.SourcePath}: connection: context '{context}' of '{file}' cannot be used: {e.Message}");
        }
    }

    private static string At(ClusterProfile profile, int? line) =>
        line is { } l ? $"{profile.SourcePath}:{l}" : profile.SourcePath;

    private static string Names(IReadOnlyCollection<string?> names) =>
        names.Count == 0 ? "(none)" : string.Join(", ", names);
}

using System.Text.RegularExpressions;
using KubeRunbooks.Clusters.Connection;
using KubeRunbooks.Clusters.Products;
using KubeRunbooks.Clusters.Yaml;
using KubeRunbooks.Errors;

namespace KubeRunbooks.Clusters;

/// <summary>
/// The profiles folder (<c>clusters/</c> by default): lists the profile names and loads one by name,
/// validated completely (values and connection) so a bad profile stops the run before any task.
/// </summary>
public sealed partial class ProfileCatalog
{
    /// <summary>The profile used when no <c>--cluster</c> is given: the embedded simulated cluster.</summary>
    public const string DefaultProfileName = "local";

    /// <summary>The profiles folder used unless cake.config or the command line names another.</summary>
    public const string DefaultFolder = "clusters";

    private readonly string _folder;
    private readonly Func<string, string?> _environment;
    private readonly string _homeDirectory;
    private readonly TimeoutSettings? _timeoutDefaults;
    private readonly IReadOnlyList<ProductSection> _products;

    /// <summary>Creates a catalog over <paramref name="folder"/>.</summary>
    /// <param name="folder">The profiles folder, as shown in messages (e.g. <c>clusters</c>).</param>
    /// <param name="environment">Reads an environment variable (KUBECONFIG); defaults to the process environment.</param>
    /// <param name="homeDirectory">What <c>~</c> expands to; defaults to the user's home folder.</param>
    /// <param name="timeoutDefaults">Timeouts a profile does not set (cake.config's [Timeouts]); defaults to <see cref="TimeoutSettings"/>'s own.</param>
    /// <param name="products">The product sections a profile may have (the host's product modules); other top-level keys are rejected.</param>
    public ProfileCatalog(string folder, Func<string, string?>? environment = null, string? homeDirectory = null, TimeoutSettings? timeoutDefaults = null, IReadOnlyList<ProductSection>? products = null)
    {
        _products = products ?? [];
        _timeoutDefaults = timeoutDefaults;
        _folder = folder;
        _environment = environment ?? Environment.GetEnvironmentVariable;
        _homeDirectory = homeDirectory ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
    }

    /// <summary>The profiles folder as given.</summary>
    public string Folder => _folder;

    /// <summary>The names of the profiles that exist (files <c>NAME.yaml</c>), sorted.</summary>
    public IReadOnlyList<string> Names() =>
        Directory.Exists(_folder)
            ? Directory.EnumerateFiles(_folder, "*.yaml")
                .Select(Path.GetFileNameWithoutExtension)
                .OfType<string>()
                .Where(IsProfileName)
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    /// <summary>
    /// Loads and validates the profile <paramref name="name"/> (<see cref="DefaultProfileName"/> when null or empty).
    /// Throws <see cref="InvalidInputException"/> with one line for an unknown name, a malformed file, a bad
    /// value, or a connection that cannot work (kubeconfig missing, context absent).
    /// </summary>
    public ClusterProfile Load(string? name)
    {
        name = string.IsNullOrWhiteSpace(name) ? DefaultProfileName : name.Trim();
        if (!IsProfileName(name))
        {
            throw new InvalidInputException(
                $"'{name}' is not a profile name (letters, digits, '-', '_', '.'; no paths): profiles in {_folder}/: {Listing()}");
        }

        var file = Path.Combine(_folder, name + ".yaml");
        if (!File.Exists(file))
        {
            throw new InvalidInputException($"Unknown cluster profile '{name}': profiles in {_folder}/: {Listing()}");
        }

        var profile = ProfileParser.Parse(name, file, File.ReadAllText(file), _homeDirectory, _timeoutDefaults, _products);
        ClusterConnection.Validate(profile, _environment, _homeDirectory);
        return profile;
    }

    /// <summary>Whether <paramref name="name"/> can be a profile name: no separators, no leading dot.</summary>
    public static bool IsProfileName(string name) => ProfileName().IsMatch(name);

    private string Listing()
    {
        var names = Names();
        return names.Count == 0 ? "(none)" : string.Join(", ", names);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")]
    private static partial Regex ProfileName();
}

using KubeRunbooks.Clusters;
using KubeRunbooks.Clusters.Products;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;

namespace KubeRunbooks.Runbooks;

/// <summary>
/// Where a simulated profile's cluster keeps its state between runs: the profile's <c>simulator.stateFolder</c>,
/// else <c>[Paths] LocalState/PROFILE</c> (default <c>.state/PROFILE</c>), relative to the working folder.
/// </summary>
public static class LocalStateFolder
{
    /// <summary>The absolute state folder of <paramref name="profile"/>, or null when it reaches a real cluster.</summary>
    /// <param name="profile">A loaded profile.</param>
    /// <param name="settings">The tool's settings (<see cref="ToolSettings.LocalStatePath"/>).</param>
    /// <param name="workingDirectory">The absolute folder relative paths start from.</param>
    public static string? Of(ClusterProfile profile, ToolSettings settings, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(settings);
        if (profile.Connection.Simulator is not { } simulator)
        {
            return null;
        }

        return Path.GetFullPath(simulator.StateFolder ?? Path.Combine(settings.LocalStatePath, profile.Name), workingDirectory);
    }

    /// <summary>
    /// Resolves <c>--state=NAME|PATH</c>: a value with a path separator (or <c>~</c>) is a folder; otherwise the
    /// simulated profile of that name gives its state folder, and when there is no such profile an existing folder
    /// of that name is used.
    /// </summary>
    /// <param name="value">The argument's value.</param>
    /// <param name="settings">The tool's settings (profiles folder, local state folder, timeout defaults).</param>
    /// <param name="workingDirectory">The absolute folder relative paths start from.</param>
    /// <param name="products">The product sections a profile may have (the host's product modules).</param>
    /// <returns>The absolute state folder, and the profile's scenario when the value named a profile (else null).</returns>
    /// <exception cref="InvalidInputException">
    /// The value is empty, names a profile that is not simulated or cannot be loaded, or is neither a profile nor a folder.
    /// </exception>
    public static (string Folder, string? Scenario) Resolve(string value, ToolSettings settings, string workingDirectory, IReadOnlyList<ProductSection>? products = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidInputException("--state needs a simulated profile's name or a state folder path.");
        }

        value = value.Trim();
        if (value == "~" || value.StartsWith("~/", StringComparison.Ordinal))
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return (Path.GetFullPath(value == "~" ? home : Path.Combine(home, value[2..])), null);
        }

        if (value.Contains('/') || value.Contains(Path.DirectorySeparatorChar))
        {
            return (Path.GetFullPath(value, workingDirectory), null);
        }

        var timeouts = new TimeoutSettings { Default = settings.DefaultTimeout, PodReady = settings.PodReadyTimeout, Job = settings.JobTimeout };
        var catalog = new ProfileCatalog(Path.GetFullPath(settings.ProfilesPath, workingDirectory), timeoutDefaults: timeouts, products: products);
        if (!catalog.Names().Contains(value, StringComparer.Ordinal))
        {
            var folder = Path.GetFullPath(value, workingDirectory);
            if (Directory.Exists(folder))
            {
                return (folder, null);
            }

            throw new InvalidInputException(
                $"--state={value}: there is no profile '{value}' in {catalog.Folder} and no folder '{folder}'; give a simulated profile's name or a state folder path.");
        }

        var profile = catalog.Load(value);
        var stateFolder = Of(profile, settings, workingDirectory)
            ?? throw new InvalidInputException($"--state={value}: profile '{value}' reaches a real cluster, not the simulated one, so it has no state folder.");
        return (stateFolder, profile.Connection.Simulator!.Scenario);
    }
}

using System.Globalization;
using Cake.Core.Configuration;
using KubeRunbooks.Errors;

namespace KubeRunbooks.Frosting;

/// <summary>
/// This tool's settings read from Cake's configuration, so they follow Cake's precedence:
/// <c>UseCakeSetting</c> defaults, then <c>CAKE_SECTION_KEY</c> environment variables, then
/// <c>cake.config</c> in the working directory, then <c>--section_key=value</c> on the command line.
/// </summary>
/// <param name="ProfilesPath">Folder of cluster profiles (<c>[Paths] Profiles</c>, default <c>clusters</c>).</param>
/// <param name="ArtifactsPath">Folder for reports and backups (<c>[Paths] Artifacts</c>, default <c>artifacts</c>).</param>
/// <param name="DefaultTimeout">Wait limit when no specific one applies (<c>[Timeouts] Default</c>, default 10 minutes).</param>
/// <param name="PodReadyTimeout">Wait limit for pods to become ready (<c>[Timeouts] PodReady</c>, default 15 minutes).</param>
/// <param name="JobTimeout">Wait limit for a Job to complete (<c>[Timeouts] Job</c>, default 1 hour).</param>
public sealed record ToolSettings(
    string ProfilesPath,
    string ArtifactsPath,
    TimeSpan DefaultTimeout,
    TimeSpan PodReadyTimeout,
    TimeSpan JobTimeout)
{
    /// <summary>The documented defaults, used for keys that are not set anywhere.</summary>
    public static ToolSettings Defaults { get; } = new(
        "clusters", "artifacts", TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1));

    /// <summary>
    /// Folder under which a simulated profile with no <c>stateFolder</c> keeps its cluster's state, as
    /// <c>LocalStatePath/PROFILE</c> (<c>[Paths] LocalState</c>, default <c>.state</c>).
    /// </summary>
    public string LocalStatePath { get; init; } = ".state";

    /// <summary>
    /// How long a run waits for another run to release the simulated cluster's state folder before it exits with
    /// code 3 (<c>[Timeouts] LocalClusterLock</c>, default 30 seconds).
    /// </summary>
    public TimeSpan LocalClusterLockWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a run on a kept simulated cluster waits, when it starts, for the pods that were ready when the previous
    /// run ended to be ready again (<c>[Timeouts] LocalClusterReady</c>, default 2 minutes); then it goes on and names
    /// the ones that are not.
    /// </summary>
    public TimeSpan LocalClusterReadyWait { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Reads the settings; keys not set keep their defaults.</summary>
    /// <param name="configuration">Cake's configuration (<c>context.Configuration</c>).</param>
    /// <exception cref="InvalidInputException">A value is empty or not a positive duration.</exception>
    public static ToolSettings From(ICakeConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new ToolSettings(
            ReadPath(configuration, "Paths_Profiles", Defaults.ProfilesPath),
            ReadPath(configuration, "Paths_Artifacts", Defaults.ArtifactsPath),
            ReadDuration(configuration, "Timeouts_Default", Defaults.DefaultTimeout),
            ReadDuration(configuration, "Timeouts_PodReady", Defaults.PodReadyTimeout),
            ReadDuration(configuration, "Timeouts_Job", Defaults.JobTimeout))
        {
            LocalStatePath = ReadPath(configuration, "Paths_LocalState", Defaults.LocalStatePath),
            LocalClusterLockWait = ReadDuration(configuration, "Timeouts_LocalClusterLock", Defaults.LocalClusterLockWait),
            LocalClusterReadyWait = ReadDuration(configuration, "Timeouts_LocalClusterReady", Defaults.LocalClusterReadyWait),
        };
    }

    private static string ReadPath(ICakeConfiguration configuration, string key, string fallback)
    {
        var value = configuration.GetValue(key);
        if (value is null)
        {
            return fallback;
        }

        return string.IsNullOrWhiteSpace(value)
            ? throw new InvalidInputException($"Setting {key} is empty; give a folder path.")
            : value.Trim();
    }

    private static TimeSpan ReadDuration(ICakeConfiguration configuration, string key, TimeSpan fallback)
    {
        var value = configuration.GetValue(key);
        if (value is null)
        {
            return fallback;
        }

        if (TimeSpan.TryParse(value.Trim(), CultureInfo.InvariantCulture, out var duration) && duration > TimeSpan.Zero)
        {
            return duration;
        }

        throw new InvalidInputException($"Setting {key} is '{value}'; give a positive duration as hh:mm:ss.");
    }
}

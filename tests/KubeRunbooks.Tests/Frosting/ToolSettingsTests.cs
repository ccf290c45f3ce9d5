using Cake.Core.Configuration;
using Cake.Core.IO;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;

namespace KubeRunbooks.Tests.Frosting;

[TestFixture]
public sealed class ToolSettingsTests
{
    [Test]
    public void Missing_keys_keep_the_documented_defaults()
    {
        var settings = ToolSettings.From(Configuration());

        Assert.That(settings, Is.EqualTo(new ToolSettings("clusters", "artifacts",
            TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1))));
    }

    [Test]
    public void Values_are_read_from_their_keys()
    {
        var settings = ToolSettings.From(Configuration(
            ("Paths_Profiles", "profiles"), ("Paths_Artifacts", "/var/runbooks"),
            ("Timeouts_Default", "00:02:00"), ("Timeouts_PodReady", "00:20:00"), ("Timeouts_Job", "1.02:00:00")));

        Assert.That(settings, Is.EqualTo(new ToolSettings("profiles", "/var/runbooks",
            TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(20), TimeSpan.FromHours(26))));
    }

    [Test]
    public void The_local_cluster_state_settings_have_defaults_and_are_read_from_their_keys()
    {
        var defaults = ToolSettings.From(Configuration());
        var set = ToolSettings.From(Configuration(("Paths_LocalState", "/srv/state"), ("Timeouts_LocalClusterLock", "00:00:02")));

        Assert.Multiple(() =>
        {
            Assert.That(defaults.LocalStatePath, Is.EqualTo(".state"));
            Assert.That(defaults.LocalClusterLockWait, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(set.LocalStatePath, Is.EqualTo("/srv/state"));
            Assert.That(set.LocalClusterLockWait, Is.EqualTo(TimeSpan.FromSeconds(2)));
        });
    }

    [TestCase("Timeouts_PodReady", "soon")]
    [TestCase("Timeouts_Job", "00:00:00")]
    [TestCase("Timeouts_Default", "-00:05:00")]
    public void Bad_duration_is_invalid_input_naming_the_key(string key, string value)
    {
        var error = Assert.Throws<InvalidInputException>(() => ToolSettings.From(Configuration((key, value))));

        Assert.That(error!.Message, Is.EqualTo($"Setting {key} is '{value}'; give a positive duration as hh:mm:ss."));
    }

    [Test]
    public void Empty_path_is_invalid_input()
    {
        var error = Assert.Throws<InvalidInputException>(() => ToolSettings.From(Configuration(("Paths_Artifacts", "  "))));

        Assert.That(error!.Message, Does.Contain("Paths_Artifacts"));
    }

    [Test]
    public void The_repository_cake_config_parses_to_the_defaults()
    {
        var fileSystem = new FileSystem();
        var environment = new Cake.Core.CakeEnvironment(new Cake.Core.CakePlatform(), new Cake.Core.CakeRuntime());
        var configuration = new CakeConfigurationProvider(fileSystem, environment)
            .CreateConfiguration(new DirectoryPath(RepositoryPaths.Root), new Dictionary<string, string>());

        Assert.That(ToolSettings.From(configuration), Is.EqualTo(ToolSettings.Defaults));
    }

    private static ICakeConfiguration Configuration(params (string Key, string Value)[] values)
        => new DictionaryConfiguration(values.ToDictionary(v => v.Key, v => v.Value, StringComparer.OrdinalIgnoreCase));

    private sealed class DictionaryConfiguration(Dictionary<string, string> values) : ICakeConfiguration
    {
        public string? GetValue(string key) => values.GetValueOrDefault(key);
    }
}

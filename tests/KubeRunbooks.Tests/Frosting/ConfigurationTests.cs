using Cake.Frosting;

namespace KubeRunbooks.Tests.Frosting;

/// <summary>Cake's precedence: UseCakeSetting &lt; CAKE_SECTION_KEY &lt; cake.config &lt; --section_key=value.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ConfigurationTests
{
    private const string Tasks = "KubeRunbooks.Tests.Frosting.Scenarios.Arguments";
    private const string Variable = "CAKE_PATHS_PROFILES";

    private string _working = null!;

    [SetUp]
    public void CreateWorkingDirectory()
    {
        _working = Directory.CreateTempSubdirectory("kuberunbooks-config-").FullName;
        Environment.SetEnvironmentVariable(Variable, null);
    }

    [TearDown]
    public void RemoveWorkingDirectory()
    {
        Environment.SetEnvironmentVariable(Variable, null);
        Directory.Delete(_working, recursive: true);
    }

    [Test]
    public void Nothing_set_keeps_the_tool_default()
    {
        var outcome = Run([]);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Journal.Entries, Does.Contain("Paths_Profiles=<none>"));
            Assert.That(outcome.Journal.Entries, Does.Contain("profiles=clusters"));
        });
    }

    [Test]
    public void Use_cake_setting_is_the_lowest_level()
    {
        var outcome = Run([], "from-default");

        Assert.That(outcome.Journal.Entries, Does.Contain("profiles=from-default"));
    }

    [Test]
    public void Environment_variable_beats_use_cake_setting()
    {
        Environment.SetEnvironmentVariable(Variable, "from-env");

        var outcome = Run([], "from-default");

        Assert.That(outcome.Journal.Entries, Does.Contain("profiles=from-env"));
    }

    [Test]
    public void Cake_config_in_the_working_directory_beats_the_environment()
    {
        Environment.SetEnvironmentVariable(Variable, "from-env");
        File.WriteAllText(Path.Combine(_working, "cake.config"), "; test\n[Paths]\nProfiles=from-file\n");

        var outcome = Run([], "from-default");

        Assert.That(outcome.Journal.Entries, Does.Contain("profiles=from-file"));
    }

    [Test]
    public void Command_line_beats_everything_with_the_dashes_stripped()
    {
        Environment.SetEnvironmentVariable(Variable, "from-env");
        File.WriteAllText(Path.Combine(_working, "cake.config"), "[Paths]\nProfiles=from-file\n");

        var outcome = Run(["--paths_profiles=from-cli"], "from-default");

        Assert.That(outcome.Journal.Entries, Does.Contain("Paths_Profiles=from-cli"));
    }

    [Test]
    public void Short_working_option_beats_the_hosts_working_directory()
    {
        var other = Directory.CreateTempSubdirectory("kuberunbooks-other-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(_working, "cake.config"), "[Paths]\nProfiles=from-option\n");
            File.WriteAllText(Path.Combine(other, "cake.config"), "[Paths]\nProfiles=from-host\n");

            var outcome = HostHarness.Run(Tasks, ["-w", _working], host => host.UseWorkingDirectory(other));

            Assert.That(outcome.Journal.Entries, Does.Contain("profiles=from-option"));
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [Test]
    public void Working_directory_from_the_host_is_used_when_no_option_is_given()
    {
        File.WriteAllText(Path.Combine(_working, "cake.config"), "[Paths]\nProfiles=from-host-working\n");

        var outcome = HostHarness.Run(Tasks, [], host => host.UseWorkingDirectory(_working));

        Assert.That(outcome.Journal.Entries, Does.Contain("profiles=from-host-working"));
    }

    [Test]
    public void Malformed_cake_config_is_bad_input_naming_the_file()
    {
        File.WriteAllText(Path.Combine(_working, "cake.config"), "[Paths]\nProfiles=\n");

        var outcome = Run([]);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.EqualTo(2));
            Assert.That(outcome.ErrorLines, Has.Length.EqualTo(1));
            Assert.That(outcome.ErrorLines[0], Does.StartWith($"error: {_working}/cake.config is malformed: "));
            Assert.That(outcome.Journal.Entries, Is.Empty);
        });
    }

    [Test]
    public void Bad_duration_in_cake_config_is_bad_input_naming_the_key()
    {
        File.WriteAllText(Path.Combine(_working, "cake.config"), "[Timeouts]\nPodReady=soon\n");

        var outcome = Run([]);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.EqualTo(2));
            Assert.That(outcome.ErrorLines, Is.EqualTo(new[] { "error: Setting Timeouts_PodReady is 'soon'; give a positive duration as hh:mm:ss." }));
        });
    }

    [Test]
    public void The_repository_cake_config_gives_the_documented_defaults()
    {
        var outcome = HostHarness.Run(Tasks, ["--working=" + RepositoryPaths.Root]);

        Assert.That(outcome.Journal.Entries, Does.Contain("Paths_Profiles=clusters"));
    }

    private HostOutcome Run(string[] args, string? settingDefault = null)
        => HostHarness.Run(Tasks, [.. args, "--working=" + _working], host =>
        {
            if (settingDefault is not null)
            {
                host.UseCakeSetting("Paths_Profiles", settingDefault);
            }
        });
}

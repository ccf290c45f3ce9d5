using System.Text.RegularExpressions;
using KubeRunbooks.Tests.Frosting;

namespace KubeRunbooks.Tests.Pipelines;

/// <summary>
/// build.ps1 cannot run here (no PowerShell), so it is held to build.sh by text: the same build command, the same
/// host program, every argument passed on, the same environment and exit codes.
/// </summary>
[TestFixture]
public sealed partial class BootstrapScriptsTests
{
    private static string Read(string name) => File.ReadAllText(Path.Combine(RepositoryPaths.Root, name));

    [Test]
    public void Build_ps1_builds_and_runs_the_host_as_build_sh_does()
    {
        var sh = Read("build.sh");
        var ps1 = Read("build.ps1");
        Assert.Multiple(() =>
        {
            Assert.That(BuildCommand().Match(ps1).Value, Is.EqualTo(BuildCommand().Match(sh).Value).And.Not.Empty, "the same dotnet build line");
            Assert.That(ps1, Does.Contain("dotnet ./build/bin/Debug/net10.0/KubeRunbooks.Build.dll @args"), "every argument passed on");
            Assert.That(sh, Does.Contain("dotnet ./build/bin/Debug/net10.0/KubeRunbooks.Build.dll \"$@\""));
            Assert.That(ps1, Does.Contain("exit $LASTEXITCODE"), "the host's exit code is the script's");
            foreach (var variable in EnvironmentVariable().Matches(sh).Select(m => m.Groups[1].Value))
            {
                Assert.That(ps1, Does.Contain($"$env:{variable} = '1'"), variable);
            }

            foreach (var message in new[] { "the .NET SDK 10 is required but 'dotnet' is not on PATH", "the host project failed to build (see above)." })
            {
                Assert.That(sh, Does.Contain("build.sh: " + message));
                Assert.That(ps1, Does.Contain("build.ps1: " + message));
            }

            Assert.That(ps1, Does.Match(@"exit 2\s").And.Match(@"exit 1\s"), "the same exit codes for no SDK and a failed build");
        });
    }

    [GeneratedRegex(@"dotnet build ./build/Build.csproj [^>\r\n]*?-p:WarningLevel=0")]
    private static partial Regex BuildCommand();

    [GeneratedRegex(@"(DOTNET_[A-Z_]+)=1")]
    private static partial Regex EnvironmentVariable();
}

using System.Diagnostics;

namespace KubeRunbooks.Tests.Frosting;

/// <summary>The real program (build/bin/Debug/net10.0/KubeRunbooks.Build.dll) as a child process.</summary>
[TestFixture]
public sealed class CommandLineTests
{
    [Test]
    public void Help_exits_zero_and_lists_the_options()
    {
        var (exitCode, output, error) = RunHost("--help");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, error);
            Assert.That(output, Does.Contain("--target").And.Contain("--working").And.Contain("--dryrun").And.Contain("--tree"));
            Assert.That(error, Is.Empty);
        });
    }

    [Test]
    public void Version_exits_zero()
    {
        var (exitCode, output, _) = RunHost("--version");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(output.Trim(), Is.Not.Empty);
        });
    }

    [Test]
    public void Unknown_target_exits_two_with_one_line_on_stderr()
    {
        var (exitCode, _, error) = RunHost("--target=NoSuchRunbook", "--cluster=x");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(error, Does.StartWith("error: The target 'NoSuchRunbook' was not found; "));
            Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        });
    }

    [Test]
    public void Parse_error_exits_two_with_one_line_on_stderr()
    {
        var (exitCode, output, error) = RunHost("--verbosity=loud");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(error, Does.StartWith("error: "));
            Assert.That(output, Is.Empty);
        });
    }

    private static (int ExitCode, string Output, string Error) RunHost(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.ArgumentList.Add(RepositoryPaths.HostDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the host did not exit");
        }

        return (process.ExitCode, HostOutcome.StripAnsi(output.Result), HostOutcome.StripAnsi(error.Result));
    }
}

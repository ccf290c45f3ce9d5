using System.Text.RegularExpressions;
using KubeRunbooks.Tests.Frosting;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Pipelines;

/// <summary>
/// What the built host accepts, asked from the host itself: its targets (<c>--description</c>), its own
/// options (<c>--help</c>) and the arguments the tasks and the library read (<c>Argument("name")</c> in the
/// sources). A target or an argument added later is picked up without touching the tests.
/// </summary>
internal sealed partial class HostSurface
{
    private HostSurface(IReadOnlySet<string> targets, IReadOnlySet<string> options)
    {
        Targets = targets;
        Options = options;
    }

    /// <summary>Every target name, as <c>--description</c> lists it (case-insensitive).</summary>
    public IReadOnlySet<string> Targets { get; }

    /// <summary>Every option name without dashes: the host's own and the arguments read by code.</summary>
    public IReadOnlySet<string> Options { get; }

    /// <summary>Runs the built host twice and scans the sources.</summary>
    public static HostSurface Load()
    {
        var description = HostProcess.Run(RepositoryPaths.Root, "--description");
        Assert.That(description.ExitCode, Is.EqualTo(0), description.Output + description.Error);
        var targets = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match match in TargetRow().Matches(description.Output))
        {
            targets.Add(match.Groups[1].Value);
        }

        targets.Remove("Task");
        Assert.That(targets, Does.Contain("ClusterInfo"), "the --description table was read");

        var help = HostProcess.Run(RepositoryPaths.Root, "--help");
        Assert.That(help.ExitCode, Is.EqualTo(0), help.Output + help.Error);
        var options = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match match in HelpOption().Matches(help.Output))
        {
            options.Add(match.Groups[1].Value);
        }

        Assert.That(options, Does.Contain("dryrun").And.Contain("target"), "the --help list was read");
        foreach (var folder in new[] { "src", "tasks", "build" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, folder), "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) continue;
                foreach (Match match in ArgumentRead().Matches(File.ReadAllText(file)))
                {
                    options.Add(match.Groups[1].Value);
                }
            }
        }

        return new HostSurface(targets, options);
    }

    // A row of the description table: two spaces, the task name, then its description.
    [GeneratedRegex(@"^  ([A-Za-z][A-Za-z0-9]*) {2,}\S", RegexOptions.Multiline)]
    private static partial Regex TargetRow();

    [GeneratedRegex(@"--([a-z][a-z0-9-]*)")]
    private static partial Regex HelpOption();

    // context.Argument("to"), Arguments.HasArgument("fresh"), GetArgument("x"), and constants that carry an
    // argument's name (const string ArgumentName = "confirm").
    [GeneratedRegex(@"(?:(?:Argument|HasArgument|GetArgument|GetArguments)\(\s*|const string \w*(?:Argument|Option)\w* = )""([a-z][a-z0-9-]*)""")]
    private static partial Regex ArgumentRead();
}

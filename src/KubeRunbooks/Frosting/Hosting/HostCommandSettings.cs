using System.ComponentModel;
using Cake.Cli;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Spectre.Console.Cli;

namespace KubeRunbooks.Frosting.Hosting;

/// <summary>The host's own options (Frosting's); every other option reaches <c>context.Arguments</c>.</summary>
internal sealed class HostCommandSettings : CommandSettings
{
    [CommandOption("-t|--target <TARGET>")]
    [Description("Target task to invoke (repeatable). Default: Default.")]
    public string[] Targets { get; set; } = [];

    [CommandOption("-w|--working <PATH>")]
    [TypeConverter(typeof(Cake.Cli.DirectoryPathConverter))]
    [Description("Sets the working directory.")]
    public DirectoryPath? WorkingDirectory { get; set; }

    [CommandOption("-v|--verbosity <VERBOSITY>")]
    [TypeConverter(typeof(VerbosityConverter))]
    [Description("Verbosity: quiet, minimal, normal, verbose or diagnostic.")]
    public Verbosity Verbosity { get; set; } = Verbosity.Normal;

    [CommandOption("--description")]
    [Description("Shows the description of each task.")]
    public bool Description { get; set; }

    [CommandOption("--tree")]
    [Description("Shows the task dependency tree.")]
    public bool Tree { get; set; }

    [CommandOption("--dryrun|--noop|--whatif")]
    [Description("Shows the tasks that would run and what they would change, and runs none.")]
    public bool DryRun { get; set; }

    [CommandOption("-e|--exclusive")]
    [Description("Runs the target without its dependencies.")]
    public bool Exclusive { get; set; }

    [CommandOption("--version")]
    [Description("Shows the Cake version.")]
    public bool Version { get; set; }

    [CommandOption("--info")]
    [Description("Shows Cake information.")]
    public bool Info { get; set; }
}

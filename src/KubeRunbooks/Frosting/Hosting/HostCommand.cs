using Spectre.Console.Cli;

namespace KubeRunbooks.Frosting.Hosting;

/// <summary>Spectre's default command: hands the parsed options to the <see cref="HostRunner"/>.</summary>
internal sealed class HostCommand : Command<HostCommandSettings>
{
    private readonly HostRunner _runner;

    public HostCommand(HostRunner runner) => _runner = runner;

    public override int Execute(CommandContext context, HostCommandSettings settings, CancellationToken cancellationToken)
        => _runner.Execute(settings, context.Remaining);
}

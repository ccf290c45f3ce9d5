using Cake.Common.Build;
using Cake.Core;
using KubeRunbooks.Errors;
using KubeRunbooks.Reporting;

namespace KubeRunbooks.Secrets;

/// <summary>
/// Reads a new secret value (a password, a storage secret key) from, in this order, the file named by its option, its
/// environment variable, or a prompt without echo on the operator's terminal: never from a command-line value, which
/// would land in argv, shell history and logs. On a CI runner, or with no terminal, and neither a file nor a variable:
/// one error line naming the variable to set (exit 2). The value is registered with the run's secret masker before it
/// is returned, so no later log line, report or exception message can show it.
/// </summary>
public sealed class SecretReader
{
    private readonly ICakeArguments _arguments;
    private readonly Func<string, string?> _environment;
    private readonly ISecretConsole _console;
    private readonly string? _ciRunner;
    private readonly SecretMasker _masker;
    private readonly string _workingDirectory;

    /// <summary>Creates a reader over explicit parts (tests inject the console, the environment and the runner).</summary>
    /// <param name="arguments">The run's command-line arguments.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="console">The terminal.</param>
    /// <param name="ciRunner">The CI runner's name when the run is on one (no prompt is ever shown there), else null.</param>
    /// <param name="masker">The run's secret masker.</param>
    /// <param name="workingDirectory">What a relative file path is relative to.</param>
    public SecretReader(ICakeArguments arguments, Func<string, string?> environment, ISecretConsole console, string? ciRunner, SecretMasker masker, string workingDirectory)
    {
        _arguments = arguments;
        _environment = environment;
        _console = console;
        _ciRunner = ciRunner;
        _masker = masker;
        _workingDirectory = workingDirectory;
    }

    /// <summary>A reader for a Cake run: its arguments and environment, the process terminal, the runner detected by Cake.Common's build-system aliases.</summary>
    public static SecretReader For(ICakeContext context, SecretMasker masker) =>
        new(context.Arguments, context.Environment.GetEnvironmentVariable, new TerminalSecretConsole(), CiRunner(context.BuildSystem()), masker,
            context.Environment.WorkingDirectory.FullPath);

    /// <summary>The CI runner's name, or null on a workstation.</summary>
    public static string? CiRunner(BuildSystem buildSystem) =>
        buildSystem.IsLocalBuild ? null : buildSystem.Provider.ToString();

    /// <summary>Reads the value; raises <see cref="InvalidInputException"/> (no value in it) when none can be had.</summary>
    public string Read(SecretPrompt prompt)
    {
        if (_arguments.HasArgument(prompt.ValueOption))
        {
            // The value already reached argv; refusing keeps it out of everything this run writes.
            foreach (var given in _arguments.GetArguments(prompt.ValueOption)) _masker.Register(given);
            throw new InvalidInputException($"{prompt.Label} is never taken from the command line (--{prompt.ValueOption}): set {prompt.EnvironmentVariable}, pass --{prompt.FileOption}=PATH, or type it at the prompt.");
        }

        var value = FromFile(prompt) ?? FromEnvironment(prompt) ?? FromTerminal(prompt);
        _masker.Register(value);
        return value;
    }

    private string? FromFile(SecretPrompt prompt)
    {
        if (!_arguments.HasArgument(prompt.FileOption)) return null;
        var path = _arguments.GetArguments(prompt.FileOption).LastOrDefault();
        if (string.IsNullOrWhiteSpace(path)) throw new InvalidInputException($"--{prompt.FileOption} needs a file: --{prompt.FileOption}=PATH.");
        var full = Path.GetFullPath(path, _workingDirectory);
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"--{prompt.FileOption}={path}: the file cannot be read ({e.GetType().Name}).");
        }

        // The line end an editor or `echo` adds is not part of the value; anything else is.
        var value = StripOneLineEnd(text);
        _masker.Register(value);
        return Require(value, prompt, $"the file {path}");
    }

    private string? FromEnvironment(SecretPrompt prompt)
    {
        var value = _environment(prompt.EnvironmentVariable);
        if (value is null) return null;
        _masker.Register(value);
        return Require(value, prompt, $"the variable {prompt.EnvironmentVariable}");
    }

    private string FromTerminal(SecretPrompt prompt)
    {
        if (_ciRunner is not null)
            throw new InvalidInputException($"{prompt.Label} is needed and no one can type it on this {_ciRunner} runner: set {prompt.EnvironmentVariable} (a secret variable) or pass --{prompt.FileOption}=PATH.");
        if (!_console.IsInteractive)
            throw new InvalidInputException($"{prompt.Label} is needed and there is no terminal to ask on: set {prompt.EnvironmentVariable} or pass --{prompt.FileOption}=PATH.");
        var value = _console.ReadHidden($"{prompt.Label}: ");
        if (value is null) throw new InvalidInputException($"{prompt.Label} was not given (input ended).");
        _masker.Register(value);
        return Require(value, prompt, "the prompt");
    }

    private static string Require(string value, SecretPrompt prompt, string source) =>
        value.Length == 0 || string.IsNullOrWhiteSpace(value)
            ? throw new InvalidInputException($"{prompt.Label} from {source} is empty.")
            : value;

    private static string StripOneLineEnd(string text) =>
        text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2]
        : text.EndsWith('\n') ? text[..^1]
        : text;
}

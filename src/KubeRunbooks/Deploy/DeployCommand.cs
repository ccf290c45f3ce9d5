using Cake.Core;
using Cake.Core.IO;

namespace KubeRunbooks.Deploy;

/// <summary>
/// A profile-named deploy command (the vendor's <c>./gradlew -Pcluster=X deployVantiq</c>, a <c>helm upgrade</c>)
/// run through Cake's process runner with a shell. The version travels as <c>{version}</c> in the command text
/// and as the environment variable <see cref="VersionVariable"/>; nothing secret is put on its command line.
/// </summary>
public sealed class DeployCommand
{
    /// <summary>The environment variable that carries the version to deploy.</summary>
    public const string VersionVariable = "KUBERUNBOOKS_VERSION";

    /// <summary>The environment variable that carries the profile (cluster) name.</summary>
    public const string ClusterVariable = "KUBERUNBOOKS_CLUSTER";

    private readonly string _what;

    /// <summary>Creates the command.</summary>
    /// <param name="commandLine">The shell command line; <c>{version}</c> is replaced by the version.</param>
    /// <param name="workingDirectory">Where it runs; null for the current folder.</param>
    /// <param name="what">What it is called in messages (e.g. <c>the deploy command</c>, <c>the secrets command generate</c>).</param>
    public DeployCommand(string commandLine, string? workingDirectory, string what = "the deploy command")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commandLine);
        CommandLine = commandLine;
        WorkingDirectory = workingDirectory;
        _what = what;
    }

    /// <summary>The command line as the profile writes it.</summary>
    public string CommandLine { get; }

    /// <summary>The folder it runs in, or null.</summary>
    public string? WorkingDirectory { get; }

    /// <summary>The command line for a version (null: a command that deploys no version, run as written).</summary>
    public string For(string? version) => version is null ? CommandLine : CommandLine.Replace("{version}", version, StringComparison.Ordinal);

    /// <summary>
    /// Runs the command for <paramref name="version"/> (null for a command about no version, e.g. one that writes
    /// Secrets: then <see cref="VersionVariable"/> is not set), each output line to <paramref name="lineSink"/>; a
    /// non-zero exit or the timeout raises <see cref="DeployFailedException"/>.
    /// </summary>
    public void Run(ICakeContext context, string? version, string cluster, TimeSpan timeout, Action<string> lineSink)
    {
        var line = For(version);
        var windows = OperatingSystem.IsWindows();
        var settings = new ProcessSettings
        {
            Arguments = new ProcessArgumentBuilder().Append(windows ? "/c" : "-c").AppendQuoted(line),
            WorkingDirectory = WorkingDirectory is null ? null : new DirectoryPath(System.IO.Path.GetFullPath(WorkingDirectory)),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectedStandardOutputHandler = text => { if (text is not null) lineSink(text); return text; },
            RedirectedStandardErrorHandler = text => { if (text is not null) lineSink(text); return text; },
            EnvironmentVariables = version is null
                ? new Dictionary<string, string> { [ClusterVariable] = cluster }
                : new Dictionary<string, string> { [VersionVariable] = version, [ClusterVariable] = cluster },
            Silent = true,
        };
        if (WorkingDirectory is not null && !Directory.Exists(WorkingDirectory))
            throw new DeployFailedException($"{Capital(_what)}'s working directory {WorkingDirectory} does not exist.");
        using var process = context.ProcessRunner.Start(new FilePath(windows ? "cmd.exe" : "/bin/sh"), settings);
        if (!process.WaitForExit((int)Math.Min(int.MaxValue, timeout.TotalMilliseconds)))
        {
            process.Kill();
            throw new DeployFailedException($"{Capital(_what)} '{line}' did not finish within {timeout}.");
        }
        // The timed wait returns at exit, before the redirected output is read to its end (a fast command's only line
        // was lost): the untimed wait also waits for both streams' end. Reading drains them through the handlers above.
        process.WaitForExit();
        _ = process.GetStandardOutput().ToList();
        _ = process.GetStandardError().ToList();
        var code = process.GetExitCode();
        if (code != 0) throw new DeployFailedException($"{Capital(_what)} '{line}' exited with code {code}.");
    }

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}

/// <summary>The deploy command failed or timed out; one line.</summary>
public sealed class DeployFailedException : Exception
{
    /// <summary>Creates the exception with the one line shown to the operator.</summary>
    public DeployFailedException(string message) : base(message) { }
}

using System.Diagnostics;

namespace KubeRunbooks.HostFiles;

/// <summary>
/// Runs commands on this machine against a folder that is a host's filesystem root. Uses
/// <see cref="Process"/> rather than Cake's process runner because the output is a binary tar stream,
/// which Cake's runner would read as text lines.
/// </summary>
public sealed class LocalHostCommands : IHostCommands
{
    /// <summary>Creates the runner for the root folder <paramref name="root"/>.</summary>
    public LocalHostCommands(string root)
    {
        Root = Path.GetFullPath(root);
        Description = Root == "/" ? "this host" : $"the filesystem at {Root}";
    }

    /// <inheritdoc />
    public string Root { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public async Task<int> RunAsync(IReadOnlyList<string> command, Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        // Byte-order sorting and untranslated messages, as on the host a runbook reads.
        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{command[0]}'.");
        process.StandardInput.Close();
        try
        {
            var outTask = process.StandardOutput.BaseStream.CopyToAsync(stdout, cancellationToken);
            var errTask = process.StandardError.BaseStream.CopyToAsync(stderr, cancellationToken);
            await Task.WhenAll(outTask, errTask).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return process.ExitCode;
        }
        catch
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            throw;
        }
    }
}

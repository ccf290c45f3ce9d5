using System.Diagnostics;
using System.IO.Pipes;
using System.Text;

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

    /// <inheritdoc />
    public async Task<T> ReadTarAsync<T>(IReadOnlyList<string> paths, Func<Stream, T> read, CancellationToken cancellationToken)
    {
        // An OS pipe between tar's stdout and the reader: its buffer bounds the memory, and a reader that fails
        // closes its end, which ends the writer too.
        var writeEnd = new AnonymousPipeServerStream(PipeDirection.Out);
        var readEnd = new AnonymousPipeClientStream(PipeDirection.In, writeEnd.ClientSafePipeHandle);
        var stderr = new MemoryStream();
        var command = new List<string> { "tar", "-c", "-f", "-", "-C", Root, "--" };
        command.AddRange(paths);
        var produce = Task.Run(async () =>
        {
            try { return await RunAsync(command, writeEnd, stderr, cancellationToken).ConfigureAwait(false); }
            finally { await writeEnd.DisposeAsync().ConfigureAwait(false); }
        }, cancellationToken);
        var consume = Task.Run(() =>
        {
            try
            {
                var result = read(readEnd);
                readEnd.CopyTo(Stream.Null); // tar's record padding after the end blocks
                return result;
            }
            finally
            {
                readEnd.Dispose();
            }
        }, cancellationToken);

        Exception? consumeError = null;
        T value = default!;
        try { value = await consume.ConfigureAwait(false); }
        catch (Exception e) { consumeError = e; }
        int exit;
        try { exit = await produce.ConfigureAwait(false); }
        catch (Exception e) when (consumeError is not null)
        {
            throw new HostArchiveException($"Reading the files of {Description} failed: {consumeError.Message}", e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new HostArchiveException($"Streaming the files of {Description} failed: {e.Message}", e);
        }
        if (consumeError is not null) throw new HostArchiveException($"Reading the files of {Description} failed: {consumeError.Message}", consumeError);
        if (exit != 0) throw new HostArchiveException($"tar on {Description} failed (exit {exit}): {HostConfigArchiver.Tail(Encoding.UTF8.GetString(stderr.ToArray()))}");
        return value;
    }
}

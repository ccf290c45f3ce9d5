namespace KubeRunbooks.HostFiles;

/// <summary>
/// Runs commands that read a host's filesystem: on this machine (a mounted disk, or the host itself) or in a
/// pod that has the host's filesystem mounted (what <c>oc debug node/NAME</c> gives). Commands receive
/// <see cref="Root"/> as an argument, never a path baked into a script, so both places run the same scripts.
/// </summary>
public interface IHostCommands
{
    /// <summary>The host's filesystem root as the commands see it (<c>/</c>, a mount point, <c>/host</c> in a debug pod).</summary>
    string Root { get; }

    /// <summary>Where the commands run, for messages and the manifest (for example <c>node app-node-0</c>).</summary>
    string Description { get; }

    /// <summary>Runs a command (program and arguments, no shell unless the command is one) and streams its output.</summary>
    /// <param name="command">The program and its arguments. Never put secrets here.</param>
    /// <param name="stdout">Receives stdout as it comes (binary).</param>
    /// <param name="stderr">Receives stderr.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The exit code.</returns>
    Task<int> RunAsync(IReadOnlyList<string> command, Stream stdout, Stream stderr, CancellationToken cancellationToken);

    /// <summary>
    /// Streams the host's <c>tar</c> of <paramref name="paths"/> (relative to <see cref="Root"/>; owners, modes, times
    /// and link targets as the host has them) into <paramref name="read"/>, which runs beside the command.
    /// </summary>
    /// <param name="paths">The paths, relative to the root.</param>
    /// <param name="read">Reads the tar stream as it comes.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>What <paramref name="read"/> returned, once tar has exited 0.</returns>
    /// <exception cref="HostArchiveException">tar failed, its stream was cut, or the reader failed; the message says which.</exception>
    Task<T> ReadTarAsync<T>(IReadOnlyList<string> paths, Func<Stream, T> read, CancellationToken cancellationToken);
}

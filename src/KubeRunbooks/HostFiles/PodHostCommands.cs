using KubeRunbooks.Kubernetes.Exec;

namespace KubeRunbooks.HostFiles;

/// <summary>
/// Runs commands by exec in a pod that mounts a node's filesystem (hostPath <c>/</c> at <see cref="Root"/>),
/// streamed over the WebSocket exec of <see cref="PodExec"/>; the tar of the host's files comes through <see cref="PodFiles"/>.
/// </summary>
public sealed class PodHostCommands : IHostCommands
{
    private readonly PodExec _exec;
    private readonly string _namespace;
    private readonly string _pod;
    private readonly string _container;

    /// <summary>Creates the runner for a pod's container whose host filesystem is mounted at <paramref name="root"/>.</summary>
    public PodHostCommands(PodExec exec, string ns, string pod, string container, string root, string node)
    {
        _exec = exec;
        _namespace = ns;
        _pod = pod;
        _container = container;
        Root = root;
        Description = $"node {node} (through pod {ns}/{pod})";
    }

    /// <inheritdoc />
    public string Root { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public async Task<int> RunAsync(IReadOnlyList<string> command, Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        var result = await _exec.RunAsync(new ExecRequest(_namespace, _pod, _container, command), stdout, stderr, null, cancellationToken).ConfigureAwait(false);
        return result.ExitCode;
    }

    /// <inheritdoc />
    public async Task<T> ReadTarAsync<T>(IReadOnlyList<string> paths, Func<Stream, T> read, CancellationToken cancellationToken)
    {
        var stderr = new List<string>();
        try
        {
            return await new PodFiles(_exec).ReadTarAsync(new PodContainer(_namespace, _pod, _container), Root, paths, read, stderr.Add, cancellationToken).ConfigureAwait(false);
        }
        catch (ExecFailedException e)
        {
            throw new HostArchiveException($"tar on {Description} failed: {e.Message}{(stderr.Count == 0 ? "" : " " + string.Join(" ", stderr.TakeLast(3)))}", e);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new HostArchiveException($"Reading the files of {Description} failed: {e.Message}", e);
        }
    }
}

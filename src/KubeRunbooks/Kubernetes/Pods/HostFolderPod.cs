using System.Text;
using k8s;
using k8s.Models;
using KubeRunbooks.Kubernetes.Exec;

namespace KubeRunbooks.Kubernetes.Pods;

/// <summary>
/// A helper pod with a node folder (hostPath) mounted at <see cref="MountPath"/>, to rename, create and copy the
/// folders inside it as an operator would with <c>mv</c> on the node: what a hostPath volume's own folder cannot do
/// from a pod that mounts only that folder. Every name is a child of the mounted folder; commands get them as
/// arguments, never spliced into shell text. Disposing deletes the pod.
/// </summary>
public sealed class HostFolderPod : IAsyncDisposable
{
    /// <summary>Where the node folder is mounted in the pod.</summary>
    public const string MountPath = "/kuberunbooks-host";

    private readonly TransientPod _pod;
    private readonly PodExec _exec;

    private HostFolderPod(TransientPod pod, PodExec exec, string hostFolder)
    {
        _pod = pod;
        _exec = exec;
        HostFolder = hostFolder;
    }

    /// <summary>The node folder mounted.</summary>
    public string HostFolder { get; }

    /// <summary>
    /// Starts the pod <paramref name="name"/> in <paramref name="ns"/> on the node(s) <paramref name="placement"/> allows,
    /// running <paramref name="image"/> (it needs <c>sh</c>, <c>mv</c>, <c>mkdir</c>, <c>cp</c>) as root.
    /// </summary>
    public static async Task<HostFolderPod> StartAsync(IKubernetes client, string ns, string name, string image, string hostFolder, V1PodSpec? placement,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var manifest = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Spec = new V1PodSpec
            {
                RestartPolicy = "Never",
                NodeName = placement?.NodeName,
                NodeSelector = placement?.NodeSelector,
                Affinity = placement?.Affinity,
                Tolerations = placement?.Tolerations,
                TerminationGracePeriodSeconds = 1,
                Volumes = [new V1Volume { Name = "host", HostPath = new V1HostPathVolumeSource { Path = hostFolder, Type = "Directory" } }],
                Containers =
                [
                    new V1Container
                    {
                        Name = "folders",
                        Image = image,
                        Command = ["sleep", "infinity"],
                        SecurityContext = new V1SecurityContext { RunAsUser = 0 },
                        VolumeMounts = [new V1VolumeMount { Name = "host", MountPath = MountPath }],
                    },
                ],
            },
        };
        var pod = await TransientPod.StartAsync(client, manifest, "host-folder", timeout, cancellationToken).ConfigureAwait(false);
        return new HostFolderPod(pod, new PodExec(client), hostFolder);
    }

    /// <summary>The node path of a child of the mounted folder.</summary>
    public string HostPathOf(string child) => HostFolder.TrimEnd('/') + "/" + Child(child);

    /// <summary>True when the child exists (a folder or a file).</summary>
    public async Task<bool> ExistsAsync(string child, CancellationToken cancellationToken = default) =>
        await RunAsync("test -e \"$1\"", [Child(child)], cancellationToken, check: false).ConfigureAwait(false) == 0;

    /// <summary>Renames a child (<c>mv -T</c>, the same filesystem: nothing is copied or deleted); refuses when the new name exists.</summary>
    public Task MoveAsync(string from, string to, CancellationToken cancellationToken = default) =>
        RunAsync("test ! -e \"$2\" || { echo \"$2 exists\" >&2; exit 1; }; mv -T -- \"$1\" \"$2\"", [Child(from), Child(to)], cancellationToken);

    /// <summary>Creates an empty child folder with the mode and owner of <paramref name="like"/> (which must exist).</summary>
    public Task CreateFolderLikeAsync(string child, string like, CancellationToken cancellationToken = default) =>
        RunAsync("mkdir -- \"$1\" && chown --reference=\"$2\" -- \"$1\" && chmod --reference=\"$2\" -- \"$1\"", [Child(child), Child(like)], cancellationToken);

    /// <summary>Copies those of <paramref name="files"/> that exist in folder <paramref name="from"/> into folder <paramref name="to"/>, modes and owners kept.</summary>
    /// <returns>The files copied.</returns>
    public async Task<IReadOnlyList<string>> CopyFilesAsync(string from, string to, IReadOnlyList<string> files, CancellationToken cancellationToken = default)
    {
        var copied = new List<string>();
        foreach (var file in files)
        {
            var source = Child(from) + "/" + Child(file);
            if (await RunAsync("test -f \"$1\"", [source], cancellationToken, check: false).ConfigureAwait(false) != 0) continue;
            await RunAsync("cp -p -- \"$1\" \"$2\"", [source, Child(to) + "/" + Child(file)], cancellationToken).ConfigureAwait(false);
            copied.Add(file);
        }
        return copied;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _pod.DisposeAsync();

    private async Task<int> RunAsync(string script, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool check = true)
    {
        // cd into the folder so the arguments are plain relative names; "$@" carries them unparsed.
        var request = _pod.Container.Exec(["sh", "-c", $"cd {MountPath} && {{ {script}; }}", "sh", .. arguments]);
        using var errors = new MemoryStream();
        var result = await _exec.RunAsync(request, Stream.Null, errors, null, cancellationToken).ConfigureAwait(false);
        if (check && result.ExitCode != 0)
            throw new ExecFailedException($"In {HostFolder} on the node ({_pod.Namespace}/{_pod.Name}): '{script}' with {string.Join(" ", arguments)} exited with code {result.ExitCode}: {Encoding.UTF8.GetString(errors.ToArray()).Trim()}", result.ExitCode);
        return result.ExitCode;
    }

    private static string Child(string name)
    {
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name is "." or ".." || name.StartsWith('-'))
            throw new ArgumentException($"'{name}' is not a plain name inside the folder.", nameof(name));
        return name;
    }
}

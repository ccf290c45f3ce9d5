using System.Text;
using KubeRunbooks.Kubernetes.Exec;

namespace KubeRunbooks.Backups.Trees;

/// <summary>
/// A folder in a container handled by exec (<c>sh</c>, GNU <c>tar</c>, <c>find</c>, <c>stat</c>, <c>sha256sum</c>):
/// archived and extracted with modes, owners and times kept, listed, paths moved and removed. The top-level names with
/// <see cref="TreeListing.ReservedPrefix"/> are this tool's own and are never archived or listed.
/// </summary>
public sealed class PodTree
{
    private const string MoveScript =
        "while IFS= read -r p; do d=$(dirname -- \"$p\"); mkdir -p -- \"$2/$d\" && mv -- \"$1/$p\" \"$2/$p\" || exit 1; printf '%s\\n' \"$p\"; done";

    private const string RemoveScript =
        "while IFS= read -r p; do rm -rf -- \"$1/$p\" || exit 1; done";

    private const string FolderAttributesScript =
        "while IFS=\"$(printf '\\t')\" read -r m t p; do chmod \"$m\" \"$1/$p\" && touch -m -d \"@$t\" \"$1/$p\" || exit 1; done";

    private readonly PodExec _exec;

    /// <summary>Over an exec runner, for one container and folder.</summary>
    public PodTree(PodExec exec, PodContainer container, string root)
    {
        _exec = exec;
        Container = container;
        Root = root.TrimEnd('/');
    }

    /// <summary>The container.</summary>
    public PodContainer Container { get; }

    /// <summary>The folder in the container.</summary>
    public string Root { get; }

    /// <summary>
    /// The command that writes the folder's contents as a tar stream to stdout (<c>./PATH</c> names, as
    /// <c>tar cf - -C DIR .</c>), this tool's reserved folders left out. GNU tar exits 1 when a file changed while it was
    /// read: the backup then fails rather than keep an inconsistent copy.
    /// </summary>
    public ExecRequest ArchiveRequest() =>
        Container.Exec("tar", "cf", "-", "-C", Root, "--anchored", $"--exclude=./{TreeListing.ReservedPrefix}*", ".");

    /// <summary>The command that extracts a tar stream from stdin into the folder, modes, owners and times kept.</summary>
    public ExecRequest ExtractRequest() => Container.Exec("tar", "xpf", "-", "-C", Root);

    /// <summary>Lists the folder (see <see cref="TreeListing.ListScript"/>).</summary>
    public async Task<IReadOnlyList<TreeEntry>> ListAsync(Action<string>? stderrLine, CancellationToken cancellationToken)
    {
        using var output = new MemoryStream();
        await _exec.RunCheckedAsync(Container.Exec("sh", "-c", TreeListing.ListScript, "kuberunbooks-list", Root), output, null, stderrLine, cancellationToken).ConfigureAwait(false);
        return TreeListing.Parse(Encoding.UTF8.GetString(output.ToArray()));
    }

    /// <summary>
    /// Moves each path from under <paramref name="from"/> to the same relative path under <paramref name="to"/> (a rename
    /// on one filesystem). Returns the paths moved; on a failure midway the exception carries the ones that did move.
    /// </summary>
    public async Task<IReadOnlyList<string>> MoveAsync(string from, string to, IReadOnlyList<string> paths, Action<string>? stderrLine, CancellationToken cancellationToken)
    {
        if (paths.Count == 0) return [];
        using var output = new MemoryStream();
        try
        {
            await _exec.RunCheckedAsync(Container.Exec("sh", "-c", MoveScript, "kuberunbooks-move", from, to), output, Lines(paths), stderrLine, cancellationToken).ConfigureAwait(false);
        }
        catch (ExecFailedException e)
        {
            throw new TreeMoveException(e.Message, Parse(output), e);
        }
        return Parse(output);
    }

    /// <summary>Removes each path (relative to <paramref name="under"/>) with everything in it.</summary>
    public async Task RemoveAsync(string under, IReadOnlyList<string> paths, Action<string>? stderrLine, CancellationToken cancellationToken)
    {
        if (paths.Count == 0) return;
        await _exec.RunCheckedAsync(Container.Exec("sh", "-c", RemoveScript, "kuberunbooks-remove", under), Stream.Null, Lines(paths), stderrLine, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives folders (listed earlier) their mode and modification time again, e.g. after paths in them moved.</summary>
    public async Task SetFolderAttributesAsync(IReadOnlyList<TreeEntry> folders, Action<string>? stderrLine, CancellationToken cancellationToken)
    {
        var lines = folders.Where(f => f.Kind == TreeEntryKind.Directory)
            .Select(f => $"0{Convert.ToString(f.Mode, 8).PadLeft(4, '0')}\t{f.ModifiedSeconds}\t{f.Path}").ToList();
        if (lines.Count == 0) return;
        await _exec.RunCheckedAsync(Container.Exec("sh", "-c", FolderAttributesScript, "kuberunbooks-attributes", Root), Stream.Null, Lines(lines), stderrLine, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the empty folders under <paramref name="folder"/>, itself included; returns whether it is gone.</summary>
    public async Task<bool> RemoveEmptyFoldersAsync(string folder, Action<string>? stderrLine, CancellationToken cancellationToken)
    {
        using var output = new MemoryStream();
        await _exec.RunCheckedAsync(Container.Exec("sh", "-c", "find \"$1\" -depth -type d -empty -delete && { [ -e \"$1\" ] && echo kept || echo gone; }", "kuberunbooks-prune", folder),
            output, null, stderrLine, cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(output.ToArray()).Trim() == "gone";
    }

    private static MemoryStream Lines(IEnumerable<string> paths)
    {
        var list = paths.ToList();
        if (list.Any(p => p.Contains('\n', StringComparison.Ordinal))) throw new InvalidOperationException("A path with a line break cannot be passed as a line.");
        return new MemoryStream(Encoding.UTF8.GetBytes(string.Concat(list.Select(p => p + "\n"))));
    }

    private static IReadOnlyList<string> Parse(MemoryStream output) =>
        Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

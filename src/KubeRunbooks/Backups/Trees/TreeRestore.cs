using KubeRunbooks.Kubernetes.Exec;

namespace KubeRunbooks.Backups.Trees;

/// <summary>
/// Restores a folder in a container from a verified set's tar archive, keeping whatever it replaces: the set's listing
/// is read first; every path the extraction would overwrite (and, with <c>delete</c>, every path the set does not
/// hold) is moved into an aside folder inside the tree (<see cref="TreeListing.ReservedPrefix"/>); the archive is
/// extracted; the tree is listed again and compared with the set (paths, kinds, sizes, modes, mtimes, SHA-256). Aside
/// copies identical to what the set put back are dropped; the rest stays and is named. A failed extraction puts the
/// tree back as it was (what the set wrote removed, the moved paths returned).
/// </summary>
public sealed class TreeRestore
{
    private readonly PodBackups _backups;
    private readonly PodTree _tree;
    private readonly Action<string> _log;

    /// <summary>Over the set's transfer, the tree in its container, and a log.</summary>
    public TreeRestore(PodBackups backups, PodTree tree, Action<string>? log = null)
    {
        _backups = backups;
        _tree = tree;
        _log = log ?? (_ => { });
    }

    /// <summary>Restores <paramref name="fileName"/> of <paramref name="set"/> into the tree.</summary>
    /// <param name="set">The verified set.</param>
    /// <param name="fileName">Its tar archive (gzip or not, as its manifest says).</param>
    /// <param name="asideName">The aside folder's name, directly under the tree, starting with <see cref="TreeListing.ReservedPrefix"/>.</param>
    /// <param name="delete">Move paths the set does not hold aside too (mirror); without it they stay and are listed.</param>
    /// <param name="cancellationToken">Cancels the restore.</param>
    /// <exception cref="TreeRestoreException">The restore failed; the message says what state the tree is in.</exception>
    public async Task<TreeRestoreResult> RestoreAsync(VerifiedBackupSet set, string fileName, string asideName, bool delete, CancellationToken cancellationToken)
    {
        if (!asideName.StartsWith(TreeListing.ReservedPrefix, StringComparison.Ordinal) || asideName.Contains('/'))
            throw new ArgumentException($"'{asideName}' is not a name for an aside folder ({TreeListing.ReservedPrefix}...).", nameof(asideName));
        IReadOnlyList<TreeEntry> expected;
        await using (var content = set.OpenContent(fileName))
            expected = TreeListing.FromTar(content);
        var current = await _tree.ListAsync(Log, cancellationToken).ConfigureAwait(false);
        var decision = TreeRestoreDecision.Decide(expected, current, delete);
        var aside = $"{_tree.Root}/{asideName}";
        _log($"The set holds {expected.Count} paths; the tree has {current.Count}: {decision.MoveAside.Count} to move aside into {aside} first, " +
             $"{decision.Extras.Count} not in the set {(delete ? "" : "(left in place)")}.");

        IReadOnlyList<string> moved;
        try
        {
            moved = await _tree.MoveAsync(_tree.Root, aside, decision.MoveAside, Log, cancellationToken).ConfigureAwait(false);
        }
        catch (TreeMoveException e)
        {
            await PutBackAsync(e.Moved, [], current, aside, e).ConfigureAwait(false);
            throw new TreeRestoreException($"Moving the paths the restore replaces into {aside} failed ({e.Message}); the {e.Moved.Count} moved were put back: the tree is as it was.", e);
        }

        try
        {
            await _backups.RestoreAsync(set, fileName, _tree.ExtractRequest(), null, Log, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ExecFailedException or IOException or InvalidDataException or OperationCanceledException)
        {
            await PutBackAsync(moved, decision.Created, current, aside, e).ConfigureAwait(false);
            throw new TreeRestoreException($"Extracting {fileName} of set {set.Name} into {_tree.Root} failed ({e.Message}); what it wrote was removed and the {moved.Count} paths moved aside were put back: the tree is as it was.", e);
        }

        var actual = await _tree.ListAsync(Log, cancellationToken).ConfigureAwait(false);
        var allowed = delete ? [] : decision.Extras;
        var differences = TreeComparison.Differences(expected, actual, allowed);
        if (differences.Count > 0)
            throw new TreeRestoreException($"The restored tree {_tree.Root} differs from set {set.Name} in {differences.Count} paths: {string.Join("; ", differences.Take(20))}" +
                $"{(differences.Count > 20 ? "; ..." : "")}. What it replaced is kept in {aside}.");

        var identical = moved.Where(decision.Identical.Contains).ToList();
        await _tree.RemoveAsync(aside, identical, Log, cancellationToken).ConfigureAwait(false);
        var asideGone = moved.Count == 0 || await _tree.RemoveEmptyFoldersAsync(aside, Log, cancellationToken).ConfigureAwait(false);
        var wanted = expected.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        var kept = moved.Where(p => !decision.Identical.Contains(p)).ToList();
        return new TreeRestoreResult(expected.Count, asideGone ? null : aside, kept,
            delete ? [] : decision.Extras, delete ? kept.Where(p => !wanted.Contains(p)).ToList() : []);
    }

    /// <summary>Undoes a restore that failed before its compare: removes what the set wrote, returns what was moved aside, folder modes and times as they were.</summary>
    private async Task PutBackAsync(IReadOnlyList<string> moved, IReadOnlyList<string> created, IReadOnlyList<TreeEntry> before, string aside, Exception cause)
    {
        // Not the run's token: putting the tree back must happen also when the run was cancelled.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await _tree.RemoveAsync(_tree.Root, created.Concat(moved).Distinct(StringComparer.Ordinal).ToList(), Log, timeout.Token).ConfigureAwait(false);
            await _tree.MoveAsync(aside, _tree.Root, moved, Log, timeout.Token).ConfigureAwait(false);
            if (moved.Count > 0) await _tree.RemoveEmptyFoldersAsync(aside, Log, timeout.Token).ConfigureAwait(false);
            // Moving paths out and back changed their folders' times: the folders get those they had.
            await _tree.SetFolderAttributesAsync(before, Log, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ExecFailedException or TreeMoveException or IOException)
        {
            throw new TreeRestoreException($"The restore failed ({cause.Message}) and putting the tree back failed too ({e.Message}): " +
                $"what was there before is in {aside}; move it back by hand ({moved.Count} paths).", e);
        }
    }

    private void Log(string line) => _log(line);
}

using KubeRunbooks.Backups;
using KubeRunbooks.Errors;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>
/// ExastroRestore: the whole set verified (every file's checksum, gzip, tar listing and dump marker) and matched to
/// the install (both dumps of each database server, the storage archive, the encryption key) before anything stops.
/// </summary>
public sealed record ExastroRestorePlan : ExastroPlan
{
    /// <summary>The set, verified.</summary>
    public required VerifiedBackupSet Set { get; init; }

    /// <summary>For each database server, in the seed's order: its user dump, then its application dump.</summary>
    public required IReadOnlyList<(ExastroDatabase Database, string UserFile, string DatabaseFile)> Dumps { get; init; }

    /// <summary>The storage archive.</summary>
    public required string StorageFile { get; init; }

    /// <summary>The encryption key Secrets' files.</summary>
    public required IReadOnlyList<string> KeyFiles { get; init; }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Inputs => new Dictionary<string, string> { ["backup"] = Set.Name };

    /// <inheritdoc />
    public override string RerunCommand => RunbookCommand.Text(Target, Install.Cluster, ("backup", Set.Name));

    /// <summary>Builds the plan: validation and reads only.</summary>
    public static async Task<ExastroRestorePlan> BuildAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        var name = context.Argument("backup");
        if (string.IsNullOrWhiteSpace(name))
            throw new InvalidInputException($"--backup=SET is required: an {ExastroTargets.Backup} set in the backup folder ({context.Profile.Backups.Folder}), or a set folder.");
        var store = new BackupStore(Path.Combine(context.Environment.WorkingDirectory.FullPath, context.Profile.Backups.Folder));
        var folder = store.Resolve(name);
        VerifiedBackupSet set;
        try
        {
            set = await BackupVerifier.VerifyOrThrowAsync(folder, cancellationToken).ConfigureAwait(false);
        }
        catch (BackupFailedException e)
        {
            throw new InvalidInputException($"{e.Message.TrimEnd('.')}. Nothing was stopped or changed.", e);
        }
        var (install, ledger) = await ReadAsync(context, ExastroTargets.Restore, new Dictionary<string, string> { ["backup"] = set.Name }, cancellationToken).ConfigureAwait(false);
        return For(install, ledger, set);
    }

    /// <summary>
    /// The plan for an install as read and a verified set (in memory): the set is an Exastro set whose files match the
    /// install's database servers (a user dump and a database dump each), with one storage archive and the key(s).
    /// </summary>
    /// <exception cref="InvalidInputException">The set is of another kind or does not match the install.</exception>
    public static ExastroRestorePlan For(ExastroInstall install, LedgerDecision ledger, VerifiedBackupSet set)
    {
        ArgumentNullException.ThrowIfNull(install);
        ArgumentNullException.ThrowIfNull(set);
        if (set.Manifest.Kind != ExastroFiles.Kind)
            throw new InvalidInputException($"The backup set {set.Name} is a {set.Manifest.Kind} backup, not an {ExastroTargets.Backup} set.");
        var names = set.Manifest.Files.Select(f => f.Name).ToList();
        string One(string prefix, string what) =>
            names.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToList() switch
            {
                [var only] => only,
                [] => throw new InvalidInputException($"The backup set {set.Name} holds no {what} ({prefix}…): it does not match this install ({(install.SeparateServers ? "separate" : "one shared")} database server{(install.SeparateServers ? "s" : "")})."),
                var many => throw new InvalidInputException($"The backup set {set.Name} holds {many.Count} files {prefix}…: one was expected."),
            };
        var dumps = install.Databases.Select(d => (d, One(d.UserFilePrefix, $"{d.Role} user dump"), One(d.DatabaseFilePrefix, $"{d.Role} database dump"))).ToList();
        if (!install.SeparateServers && names.Any(n => n.StartsWith("exastro_mysqldump_ita_", StringComparison.Ordinal)))
            throw new InvalidInputException($"The backup set {set.Name} was taken with a separate ITA database server, but this install has one shared server: set exastro.databaseServers: separate, or restore into an install with separate servers.");
        var keys = names.Where(n => n.StartsWith(ExastroFiles.EncryptionKeyPrefix, StringComparison.Ordinal)).ToList();
        if (keys.Count == 0)
            throw new InvalidInputException($"The backup set {set.Name} holds no encryption key ({ExastroFiles.EncryptionKeyPrefix}…): the restored database would be unreadable.");
        return new ExastroRestorePlan
        {
            Install = install,
            Target = ExastroTargets.Restore,
            Ledger = ledger,
            Set = set,
            Dumps = dumps,
            StorageFile = One(ExastroFiles.StoragePrefix, "storage archive"),
            KeyFiles = keys,
        };
    }
}

using System.Net;
using k8s;
using k8s.Autorest;
using KubeRunbooks.Errors;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>ExastroBackup: a new set in the profile's backup folder.</summary>
public sealed record ExastroBackupPlan : ExastroPlan
{
    /// <summary>The profile's backup folder (absolute).</summary>
    public required string BackupFolder { get; init; }

    /// <inheritdoc />
    public override string RerunCommand => RunbookCommand.Text(Target, Install.Cluster);

    /// <summary>Builds the plan: validation and reads only.</summary>
    public static async Task<ExastroBackupPlan> BuildAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        var (install, ledger) = await ReadAsync(context, ExastroTargets.Backup, new Dictionary<string, string>(), cancellationToken).ConfigureAwait(false);
        var plan = For(install, ledger, Path.Combine(context.Environment.WorkingDirectory.FullPath, context.Profile.Backups.Folder));
        await RequireKeysAsync(context, install, cancellationToken).ConfigureAwait(false);
        return plan;
    }

    /// <summary>The plan for an install as read (in memory): the profile must name the encryption key Secret(s).</summary>
    /// <exception cref="InvalidInputException">No encryption key Secret is named.</exception>
    public static ExastroBackupPlan For(ExastroInstall install, LedgerDecision ledger, string backupFolder)
    {
        ArgumentNullException.ThrowIfNull(install);
        if (install.Settings.EncryptionKeySecrets.Count == 0)
            throw new InvalidInputException("exastro.encryptionKeySecrets is empty: name the Secret(s) holding ENCRYPT_KEY; without the key a restored database is unreadable.");
        return new ExastroBackupPlan { Install = install, Target = ExastroTargets.Backup, Ledger = ledger, BackupFolder = backupFolder };
    }

    /// <summary>The key every encryption key Secret holds.</summary>
    public const string EncryptKey = "ENCRYPT_KEY";

    // Without the key a restored database is unreadable: a backup that cannot take it is refused before anything stops.
    private static async Task RequireKeysAsync(RunbookContext context, ExastroInstall install, CancellationToken cancellationToken)
    {
        var ns = install.Settings.Namespace;
        foreach (var name in install.Settings.EncryptionKeySecrets)
        {
            try
            {
                var secret = await context.Kubernetes.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (secret.Data?.ContainsKey(EncryptKey) != true)
                    throw new InvalidInputException($"Secret {ns}/{name} (exastro.encryptionKeySecrets) has no key {EncryptKey}.");
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new InvalidInputException($"Secret {ns}/{name} (exastro.encryptionKeySecrets) does not exist on cluster '{install.Cluster}': it holds the {EncryptKey} the backup must keep.");
            }
        }
    }
}

using System.Text;
using System.Text.Json;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Backups;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Resources;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>
/// The seed's first step (暗号化キーのバックアップ): the Secret(s) holding <c>ENCRYPT_KEY</c> exported into a new
/// backup set (mode 0600, server-owned fields removed) before anything stops; without them a restored database is
/// unreadable.
/// </summary>
[TaskName("ExportExastroEncryptionKey")]
[TaskDescription("Exports the Secret(s) holding ENCRYPT_KEY (exastro.encryptionKeySecrets) into a new backup set, mode 0600")]
public sealed class ExportExastroEncryptionKeyTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var plan = context.Plan<ExastroBackupPlan>();
        var ns = plan.Settings.Namespace;
        var stamp = ExastroFiles.Stamp(DateTimeOffset.UtcNow);
        var set = BackupSetWriter.Create(plan.BackupFolder, ExastroFiles.Kind, plan.Install.Cluster);
        context.Facts.Record(ExastroFacts.BackupSet, set);
        context.Facts.Record(ExastroFacts.Stamp, stamp);
        context.Facts.Record(ExastroFacts.DatabaseServers, plan.Install.SeparateServers ? "separate" : "shared");
        context.Log.Information($"Backup set {set.Folder}: the encryption key first.");
        var export = new ResourceExport(context.Kubernetes);
        try
        {
            foreach (var secret in plan.Settings.EncryptionKeySecrets)
            {
                var json = await export.ExportAsync(ResourceType.Secrets, ns, secret, CancellationToken.None)
                    ?? throw new StepFailedException($"Secret {ns}/{secret} disappeared before it could be exported.");
                var entry = await set.WriteBytesAsync(new BackupFileSpec(ExastroFiles.EncryptionKey(secret), BackupContent.Raw)
                {
                    Namespace = ns, Object = $"secret/{secret}", Command = $"kubectl get secret {secret} -n {ns} -o json (server-owned fields removed)",
                }, Encoding.UTF8.GetBytes(json.ToJsonString(Indented) + "\n"));
                context.Log.Information($"  {entry.Name}: {entry.Size} bytes, sha256 {entry.Sha256}");
            }
        }
        catch (Exception e)
        {
            set.Fail($"exporting the encryption key failed: {context.Masker.Mask(e.Message)}");
            throw new StepFailedException($"Exporting the encryption key failed: {context.Masker.Mask(e.Message.TrimEnd('.'))}. Nothing was stopped.", e);
        }
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ((RunbookContext)context).Plan<ExastroBackupPlan>();
        var set = Path.Combine(plan.BackupFolder, $"{ExastroFiles.Kind}-<yyyyMMdd-HHmmss>");
        foreach (var secret in plan.Settings.EncryptionKeySecrets)
            yield return $"write {Path.Combine(set, ExastroFiles.EncryptionKey(secret))} (mode 0600): secret {plan.Settings.Namespace}/{secret} with ENCRYPT_KEY";
    }
}

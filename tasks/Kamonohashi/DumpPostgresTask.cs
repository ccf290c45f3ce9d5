using System.Globalization;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Backups;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>
/// <c>pg_dumpall</c> by exec into a ready database pod, streamed into a new backup set as <c>kqi-backup-yyyyMMdd.sql</c>
/// (<c>.sql.gz</c> with --compress); the set counts only once the dump exited 0, ends with its completion line and
/// the whole set verified. A failed dump leaves no set.
/// </summary>
[TaskName("DumpPostgres")]
[TaskDescription("pg_dumpall by exec into the database pod, into a verified backup set kqi-backup-<yyyyMMdd>.sql[.gz]")]
public sealed class DumpPostgresTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var plan = context.Plan<PostgresBackupPlan>();
        if (!plan.Runs)
        {
            context.Log.Information("{0}", $"No backup: {plan.Gate!.Reason}.");
            return;
        }

        var token = context.LockLost;
        var server = await KamonohashiDatabase.ReadyServerAsync(context, plan.Settings, token);
        var set = BackupSetWriter.Create(plan.BackupFolder, PostgresBackupPlan.Kind, plan.Cluster);
        var name = PostgresBackupPlan.FileName(DateTimeOffset.UtcNow, plan.Compress);
        context.Log.Information("{0}", $"pg_dumpall -U {server.User} in {server.Container} into {set.Name}/{name}.");
        BackupFileEntry entry;
        try
        {
            var spec = new BackupFileSpec(name, BackupContent.PostgresClusterDump, plan.Compress ? BackupCompression.Gzip : BackupCompression.None);
            entry = await new PodBackups(new PodExec(context.Kubernetes)).DumpAsync(set, spec, server.DumpAll(),
                line => context.Log.Warning("{0}", "pg_dumpall | " + line), null, token);
            await set.CompleteAsync(token);
        }
        catch (Exception e) when (e is ExecFailedException or BackupFailedException or IOException)
        {
            set.Fail(e.Message);
            throw new StepFailedException($"The PostgreSQL backup failed: {e.Message.TrimEnd('.')}. Nothing was kept under a final name{(Directory.Exists(set.Folder) ? $" ({set.Folder} holds a failed manifest)" : "")}.", e);
        }

        context.Log.Information("{0}", $"Backup set {set.Name}: {entry.Name}, {entry.Size} bytes ({entry.ContentSize} of SQL), sha256 {entry.Sha256}, verified.");
        context.Journal.RecordFact("set", set.Name);
        context.Journal.RecordFact("file", entry.Name);
        context.Journal.RecordFact("bytes", entry.Size.ToString(CultureInfo.InvariantCulture));
        context.Journal.RecordFact("sha256", entry.Sha256);
        context.Facts.Record(KamonohashiFacts.BackupSet, set.Folder);
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ((RunbookContext)context).Plan<PostgresBackupPlan>();
        if (!plan.Runs) return [];
        return [$"exec pg_dumpall -U {plan.Settings.DatabaseUser} in a ready pod of {plan.Database} container {plan.Settings.DatabaseContainer}; write {plan.BackupFolder}/{PostgresBackupPlan.Kind}-<time>/{PostgresBackupPlan.FileName(DateTimeOffset.UtcNow, plan.Compress)} (mode 0600) and manifest.json"];
    }
}

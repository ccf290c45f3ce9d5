using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Backups;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>
/// The seed's データベースのバックアップ取得: for Platform's server (and ITA's when separate) <c>mysqldump
/// --all-databases --add-drop-table</c> and <c>mysqldump --allow-keywords mysql</c> run in the maintenance pod, each
/// streamed gzip'd into the set under the seed's name; the admin password reaches mysqldump as <c>MYSQL_PWD</c> in
/// its environment, never as <c>-p…</c>. A dump that fails leaves nothing under its name.
/// </summary>
[TaskName("DumpExastroDatabases")]
[TaskDescription("mysqldump --all-databases --add-drop-table and --allow-keywords mysql per database server, gzip'd into the set")]
public sealed class DumpExastroDatabasesTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new ExastroKit(context);
        context.Facts.TryGet(ExastroFacts.BackupSet, out var set);
        context.Facts.TryGet(ExastroFacts.Stamp, out var stamp);
        foreach (var database in ((ExastroBackupPlan)kit.Plan).Install.Databases)
        {
            foreach (var (prefix, script) in new[] { (database.DatabaseFilePrefix, database.DumpDatabasesCommand), (database.UserFilePrefix, database.DumpUsersCommand) })
            {
                var name = ExastroFiles.Dump(prefix, stamp);
                await kit.GuardAsync($"The dump {name} ({database.Role}, {database.Endpoint})", async () =>
                {
                    context.Log.Information($"Dumping {database.Role} ({database.Endpoint}) into {name}.");
                    var entry = await kit.Backups.DumpAsync(set, new BackupFileSpec(name, BackupContent.MysqlDump, BackupCompression.Gzip),
                        await kit.RequestAsync(script, database), line => context.Log.Warning($"mysqldump | {context.Masker.Mask(line)}"), cancellationToken: kit.Token);
                    context.Log.Information($"  {entry.Name}: {entry.ContentSize} bytes of SQL, {entry.Size} gzip'd, sha256 {entry.Sha256}");
                }, StopExastroTask.FailSet(context));
            }
        }
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ((RunbookContext)context).Plan<ExastroBackupPlan>();
        foreach (var d in plan.Install.Databases)
        {
            yield return $"exec in {plan.Settings.Namespace}/{plan.Settings.MaintenancePod}: {d.DumpDatabasesCommand} (MYSQL_PWD from secret {d.Secret}) | gzip > {ExastroFiles.Dump(d.DatabaseFilePrefix, "<yyyyMMdd-HHmmss>")}";
            yield return $"exec in {plan.Settings.Namespace}/{plan.Settings.MaintenancePod}: {d.DumpUsersCommand} (MYSQL_PWD from secret {d.Secret}) | gzip > {ExastroFiles.Dump(d.UserFilePrefix, "<yyyyMMdd-HHmmss>")}";
        }
    }
}

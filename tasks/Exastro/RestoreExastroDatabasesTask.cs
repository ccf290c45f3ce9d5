using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Databases;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>
/// The seed's データベースのリストア実施: per database server, the user dump first (<c>mysql … mysql</c>), then the
/// application dump with its <c>DEFINER=…</c> clauses stripped while streaming (the seed's <c>sed -e
/// 's/DEFINER[ ]*=[ ]*[^*]*\*/\*/'</c>, <see cref="DefinerStrippingStream"/>), fed to <c>mysql</c> in the maintenance
/// pod with the admin password as <c>MYSQL_PWD</c>.
/// </summary>
[TaskName("RestoreExastroDatabases")]
[TaskDescription("Per database server: the user dump into mysql, then the application dump with DEFINER clauses stripped")]
public sealed class RestoreExastroDatabasesTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new ExastroKit(context);
        var plan = (ExastroRestorePlan)kit.Plan;
        foreach (var (database, userFile, databaseFile) in plan.Dumps)
        {
            await kit.GuardAsync($"Restoring {userFile} ({database.Role} users, {database.Endpoint})", async () =>
            {
                context.Log.Information($"Restoring {userFile} into {database.Role}'s mysql database.");
                await kit.Backups.RestoreAsync(plan.Set, userFile, await kit.RequestAsync(database.RestoreUsersCommand, database),
                    stderrLine: line => context.Log.Warning($"mysql | {context.Masker.Mask(line)}"), cancellationToken: kit.Token);
            });
            await kit.GuardAsync($"Restoring {databaseFile} ({database.Role} databases, {database.Endpoint})", async () =>
            {
                context.Log.Information($"Restoring {databaseFile} into {database.Role} (DEFINER clauses stripped).");
                DefinerStrippingStream? definers = null;
                await kit.Backups.RestoreAsync(plan.Set, databaseFile, await kit.RequestAsync(database.RestoreDatabasesCommand, database),
                    stderrLine: line => context.Log.Warning($"mysql | {context.Masker.Mask(line)}"), cancellationToken: kit.Token,
                    filter: inner => definers = new DefinerStrippingStream(inner));
                context.Log.Information($"  {databaseFile}: {definers?.Substitutions ?? 0} DEFINER clause(s) stripped.");
            });
        }
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ((RunbookContext)context).Plan<ExastroRestorePlan>();
        var pod = $"{plan.Settings.Namespace}/{plan.Settings.MaintenancePod}";
        foreach (var (d, userFile, databaseFile) in plan.Dumps)
        {
            yield return $"gzip -dc {userFile} | exec in {pod}: {d.RestoreUsersCommand} (MYSQL_PWD from secret {d.Secret})";
            yield return $"gzip -dc {databaseFile} | strip DEFINER=… clauses | exec in {pod}: {d.RestoreDatabasesCommand} (MYSQL_PWD from secret {d.Secret})";
        }
    }
}

using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Backups;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Kubernetes.Pods;
using KubeRunbooks.Databases.Postgres;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>
/// The seed's <c>docker run … -e POSTGRES_HOST_AUTH_METHOD=trust postgres</c> and <c>psql -U postgres -f DUMP</c>: a
/// restore pod made from the database's own pod spec starts a fresh server on the empty data folder, the dump is fed to
/// <c>psql -f -</c> over exec stdin (exit status and errors checked), the pod is removed, and the original folder's
/// pg_hba.conf / postgresql.conf are put in the restored one (the trust rule is not kept). A failure puts the
/// original folder back and starts everything as it was.
/// </summary>
[TaskName("RestorePostgresDump")]
[TaskDescription("A restore pod with a fresh PostgreSQL on the empty data folder; the dump fed to psql -f - over exec stdin; the pod removed")]
public sealed class RestorePostgresDumpTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new PostgresRestoreKit(context);
        var plan = kit.Plan;
        var record = await kit.RecordAsync();
        if (record?.Mark(PostgresRestoreKit.RestoredMark) is not null)
        {
            context.Log.Information("{0}", $"The dump of {plan.Set.Name} was already restored by an earlier run of this restore.");
            return;
        }
        var aside = record?.TakenOf(PostgresRestoreKit.DataAsideKey) ?? throw new Errors.StepFailedException("No data folder was moved aside: the restore cannot start.");
        try
        {
            await using (var pod = await TransientPod.StartAsync(kit.Client, kit.RestorePodManifest(), PostgresRestoreKit.RestorePurpose, kit.PodTimeout, kit.Token))
            {
                var server = new PostgresInPod(new PodExec(kit.Client), new PodContainer(pod.Namespace, pod.Name, plan.Settings.DatabaseContainer), plan.Settings.DatabaseUser, null);
                await server.WaitAcceptingAsync(kit.PodTimeout, kit.Token);
                context.Log.Information("{0}", $"Restoring {plan.Set.Name}/{plan.DumpFile} with psql -f - in {server.Container}.");
                var expected = await server.RestoreAsync(new PodBackups(new PodExec(kit.Client)), plan.Set, plan.DumpFile,
                    line => context.Log.Verbose("{0}", "psql | " + line), kit.Token);
                foreach (var line in expected) context.Log.Information("{0}", $"psql | {line} (expected: the superuser exists on a fresh server)");
            }

            await using var folders = await kit.FoldersAsync();
            var copied = await kit.CopyConfigurationAsync(folders, aside);
            context.Log.Information("{0}", $"Kept the original configuration: {string.Join(", ", copied)} copied from {folders.HostPathOf(aside)}.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !kit.Token.IsCancellationRequested)
        {
            throw await kit.RollBackAsync(e, "RestorePostgresDump");
        }
        await kit.Ledger.MarkAsync(PostgresRestoreKit.RestoredMark, DateTimeOffset.UtcNow, kit.Token);
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ((RunbookContext)context).Plan<PostgresRestorePlan>();
        yield return $"create pod {plan.Database.Namespace}/{plan.Database.Name}-restore from the {plan.Database} pod spec with POSTGRES_HOST_AUTH_METHOD=trust on the empty data folder";
        yield return $"exec psql -U {plan.Settings.DatabaseUser} -f - in it with {plan.Set.Name}/{plan.DumpFile} on stdin; delete the pod";
        yield return $"copy pg_hba.conf, pg_ident.conf, postgresql.conf, postgresql.auto.conf from the folder aside into {plan.DataHostPath}";
    }
}

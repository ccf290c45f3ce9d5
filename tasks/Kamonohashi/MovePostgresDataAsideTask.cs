using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>
/// The seed's <c>mv /var/lib/kamonohashi/postgresql/data /var/tmp/</c>: the data folder renamed beside itself with a
/// timestamp (never deleted; its name recorded in the ledger before the rename, so a rerun finds it), and an empty data
/// folder with the same owner and mode made in its place. A rerun finds the original already aside and moves the
/// killed run's unfinished restore aside too.
/// </summary>
[TaskName("MovePostgresDataAside")]
[TaskDescription("Renames the database's data folder aside on its node (kept, named in the ledger and the report), makes an empty one")]
public sealed class MovePostgresDataAsideTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new PostgresRestoreKit(context);
        var plan = kit.Plan;
        var record = await kit.RecordAsync();
        if (record?.Mark(PostgresRestoreKit.RestoredMark) is not null) return;
        var aside = record?.TakenOf(PostgresRestoreKit.DataAsideKey);
        if (aside is null)
        {
            aside = kit.AsideName();
            await kit.Ledger.TakeAsync(PostgresRestoreKit.DataAsideKey, aside, kit.Token);
        }

        var moved = false;
        try
        {
            await using var folders = await kit.FoldersAsync();
            if (await folders.ExistsAsync(aside, kit.Token))
            {
                moved = true;
                context.Log.Information("{0}", $"The original data folder is already aside at {folders.HostPathOf(aside)} (an earlier run of this restore).");
                if (await folders.ExistsAsync(plan.DataFolderName, kit.Token))
                {
                    var failed = kit.FailedName();
                    await folders.MoveAsync(plan.DataFolderName, failed, kit.Token);
                    await kit.Ledger.TakeAsync(PostgresRestoreKit.FailedRestoreKey, failed, kit.Token);
                    context.Log.Warning("{0}", $"The earlier run's unfinished restore folder is kept at {folders.HostPathOf(failed)}.");
                }
            }
            else
            {
                if (!await folders.ExistsAsync(plan.DataFolderName, kit.Token))
                    throw new Errors.StepFailedException($"There is no data folder {plan.DataHostPath} on the node: nothing was moved; the database and the application stay stopped (run {plan.RerunCommand} once it is there).");
                await folders.MoveAsync(plan.DataFolderName, aside, kit.Token);
                moved = true;
                await kit.Ledger.MarkAsync(PostgresRestoreKit.MovedMark, DateTimeOffset.UtcNow, kit.Token);
                context.Log.Information("{0}", $"Moved the data folder {plan.DataHostPath} aside to {folders.HostPathOf(aside)} (kept).");
            }
            await folders.CreateFolderLikeAsync(plan.DataFolderName, aside, kit.Token);
        }
        catch (Exception e) when (moved && e is not Errors.StepFailedException)
        {
            throw await kit.RollBackAsync(e, "MovePostgresDataAside");
        }

        context.Facts.Record(KamonohashiFacts.DataAside, $"{plan.ParentHostPath}/{aside}");
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ((RunbookContext)context).Plan<PostgresRestorePlan>();
        yield return $"create pod {plan.Database.Namespace}/{plan.Database.Name}-folders (image {plan.Image}, hostPath {plan.ParentHostPath}); delete it afterwards";
        yield return $"rename {plan.DataHostPath} to {plan.DataHostPath}.kuberunbooks-aside-<time> (kept, recorded in the ledger) and create an empty {plan.DataHostPath}";
    }
}

using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>The seed's ファイルのリストア実施: the storage archive extracted into <c>$ITA_STORAGEPATH</c> in the maintenance pod.</summary>
[TaskName("RestoreExastroStorage")]
[TaskDescription("The storage archive extracted into $ITA_STORAGEPATH through the maintenance pod")]
public sealed class RestoreExastroStorageTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <summary>The extract command (the seed's <c>tar zxvf - -C ${ITA_STORAGEPATH}</c>; the tool decompresses).</summary>
    public const string Script = "exec tar xf - -C \"$ITA_STORAGEPATH\"";

    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new ExastroKit(context);
        var plan = (ExastroRestorePlan)kit.Plan;
        await kit.GuardAsync($"Restoring {plan.StorageFile} (ITA storage)", async () =>
        {
            context.Log.Information($"Extracting {plan.StorageFile} into the ITA storage.");
            await kit.Backups.RestoreAsync(plan.Set, plan.StorageFile, await kit.RequestAsync(Script),
                stderrLine: line => context.Log.Warning($"tar | {line}"), cancellationToken: kit.Token);
        });
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ((RunbookContext)context).Plan<ExastroRestorePlan>();
        yield return $"gzip -dc {plan.StorageFile} | exec in {plan.Settings.Namespace}/{plan.Settings.MaintenancePod}: {Script}";
    }
}

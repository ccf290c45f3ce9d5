using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>The seed's メンテナンス用コンテナの削除: the maintenance pod deleted, waiting until it is gone.</summary>
[TaskName("DeleteMaintenancePod")]
[TaskDescription("Deletes the maintenance pod exastro-maintenance and waits until it is gone")]
public sealed class DeleteMaintenancePodTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new ExastroKit(context);
        await kit.GuardAsync($"Deleting the maintenance pod {kit.Namespace}/{kit.PodName}",
            kit.DeleteMaintenancePodAsync, StopExastroTask.FailSet(context));
        context.Log.Information($"The maintenance pod {kit.Namespace}/{kit.PodName} is deleted.");
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var settings = ((RunbookContext)context).Plan<ExastroPlan>().Settings;
        yield return $"delete pod {settings.Namespace}/{settings.MaintenancePod} and wait until it is gone";
    }
}

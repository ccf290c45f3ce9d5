using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using k8s;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Pods;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>
/// The seed's メンテナンス用コンテナの作成: the maintenance pod exactly as the seed's manifest (see
/// <see cref="MaintenancePodManifest"/>), waited for until Ready; one left by a killed run is replaced.
/// </summary>
[TaskName("StartMaintenancePod")]
[TaskDescription("Creates the maintenance pod exastro-maintenance (mariadb:10.9, user 1000, pvc-ita-global at /storage) and waits until it is Ready")]
public sealed class StartMaintenancePodTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new ExastroKit(context);
        context.Log.Information($"Creating the maintenance pod {kit.Namespace}/{kit.PodName} ({kit.Plan.Settings.MaintenanceImage}).");
        await kit.GuardAsync($"Starting the maintenance pod {kit.Namespace}/{kit.PodName}",
            kit.StartMaintenancePodAsync, StopExastroTask.FailSet(context));
        context.Log.Information($"The maintenance pod {kit.Namespace}/{kit.PodName} is ready.");
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var settings = ((RunbookContext)context).Plan<ExastroPlan>().Settings;
        var yaml = KubernetesYaml.Serialize(TransientPod.Labelled(MaintenancePodManifest.For(settings), MaintenancePodManifest.Purpose)).TrimEnd();
        yield return $"create pod {settings.Namespace}/{settings.MaintenancePod} and wait until it is Ready:\n" + string.Join("\n", yaml.Split('\n').Select(l => "    " + l));
    }
}

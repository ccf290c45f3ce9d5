using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Local;

/// <summary>
/// Puts a scenario's initial state back into the simulated cluster's state folder and wipes its PVC folders,
/// without loading the previous state (so it also recovers from a corrupt state file).
/// </summary>
[TaskName("ResetLocalCluster")]
[TaskDescription("Resets the simulated cluster's state folder to a scenario and wipes its PVC folders: [--scenario=NAME] (default: the profile's)")]
public sealed class ResetLocalClusterTask(ILocalClusterFactory clusters) : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        // context.Kubernetes is never touched: it would load the state this task replaces.
        var request = Request(context);
        var reset = await clusters.ResetAsync(request, CancellationToken.None);
        context.Journal.RecordFact("stateFolder", reset.StateFolder);
        context.Journal.RecordFact("scenario", reset.Scenario);
        context.Log.Information($"Reset the local cluster in {reset.StateFolder} to scenario '{reset.Scenario}': {reset.Objects} objects, resourceVersion {reset.ResourceVersion}; PVC folders wiped.");
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var request = Request((RunbookContext)context);
        yield return $"reset the local cluster in {request.StateFolder} to scenario '{request.Scenario}' (wipes its PVC and pod folders)";
    }

    private static LocalClusterRequest Request(RunbookContext context)
    {
        var request = context.LocalClusterRequest
            ?? throw new InvalidInputException($"Profile '{context.Profile.Name}' reaches a real cluster; ResetLocalCluster only resets the simulated cluster.");
        return context.Argument("scenario") is { } scenario ? request with { Scenario = scenario } : request;
    }
}

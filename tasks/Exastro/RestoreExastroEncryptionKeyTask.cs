using System.Text.Json.Nodes;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Resources;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>The encryption key Secret(s) of the set put back (created, or replaced), so the restored data can be read.</summary>
[TaskName("RestoreExastroEncryptionKey")]
[TaskDescription("Puts the set's encryption key Secret(s) back (created or replaced)")]
public sealed class RestoreExastroEncryptionKeyTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new ExastroKit(context);
        var plan = (ExastroRestorePlan)kit.Plan;
        var export = new ResourceExport(context.Kubernetes);
        foreach (var file in plan.KeyFiles)
        {
            await kit.GuardAsync($"Restoring {file} (encryption key)", async () =>
            {
                await using var content = plan.Set.OpenContent(file);
                var obj = await JsonNode.ParseAsync(content, cancellationToken: kit.Token) as JsonObject
                    ?? throw new StepFailedException($"{file} is not a JSON object.");
                var outcome = await export.ApplyAsync(ResourceType.Secrets, obj, kit.Namespace, kit.Token, file);
                context.Log.Information($"  {file}: secret {kit.Namespace}/{(string?)obj["metadata"]?["name"]} {outcome.ToString().ToLowerInvariant()}.");
            });
        }
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ((RunbookContext)context).Plan<ExastroRestorePlan>();
        foreach (var file in plan.KeyFiles) yield return $"apply secret from {file} into namespace {plan.Settings.Namespace} (created or replaced)";
    }
}

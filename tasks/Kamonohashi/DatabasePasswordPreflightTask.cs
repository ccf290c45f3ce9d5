using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>The new value read (never from an argument), the consumers found, and a real login with the current password; changes nothing.</summary>
[TaskName("DatabasePasswordPreflight")]
[TaskDescription("Reads the new DB Password (file, variable or prompt), finds the Secret's consumers, checks the current password logs in")]
public sealed class DatabasePasswordPreflightTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new DatabasePasswordKit(context);
        var plan = kit.Plan;
        context.Log.Information("{0}", $"New password for role {plan.Role} in {plan.Database} and {plan.SecretDescription}; consumers rolled out afterwards: {(plan.Consumers.Count == 0 ? "none" : string.Join(", ", plan.Consumers))}.");
        if (await kit.TryLoginAsync(plan.OldPassword, context.LockLost) is { } refused)
            throw new StepFailedException($"The password in {plan.SecretDescription} does not log in as {plan.Role} now ({refused}): nothing was changed; fix that first.");
        context.Log.Information("{0}", $"The current password logs in as {plan.Role} through service {plan.Settings.DatabaseService}.");
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        ((RunbookContext)context).Plan<DatabasePasswordPlan>();
        return [];
    }
}

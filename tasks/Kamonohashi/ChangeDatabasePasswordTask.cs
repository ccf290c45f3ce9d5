using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>
/// <c>ALTER ROLE … PASSWORD</c> by exec with the statement on stdin (never in argv), then a real login over the
/// Service with the new value; the old value is kept for the way back until that login succeeded.
/// </summary>
[TaskName("ChangeDatabasePassword")]
[TaskDescription("ALTER ROLE with the password on stdin, then a real login with the new password (else the old one is put back)")]
public sealed class ChangeDatabasePasswordTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var kit = new DatabasePasswordKit(context);
        var plan = kit.Plan;
        try
        {
            await (await kit.ServerAsync(kit.Token)).SetPasswordAsync(plan.Role, plan.NewPassword, kit.Token);
            if (await kit.TryLoginAsync(plan.NewPassword, kit.Token) is { } refused)
                throw new InvalidOperationException($"the new password does not log in ({refused})");
        }
        catch (Exception e) when (e is not OperationCanceledException || !kit.Token.IsCancellationRequested)
        {
            throw await kit.RevertAsync(e, "ChangeDatabasePassword", secretWritten: false);
        }
        context.Log.Information("{0}", $"Role {plan.Role} has the new password: a login through service {plan.Settings.DatabaseService} with it succeeded.");
        context.Journal.RecordFact("role", plan.Role);
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ((RunbookContext)context).Plan<DatabasePasswordPlan>();
        yield return $"exec psql in a ready pod of {plan.Database}: ALTER ROLE {plan.Role} WITH PASSWORD (the statement on stdin), then log in with it through service {plan.Settings.DatabaseService}";
    }
}

using Cake.Core.Diagnostics;
using KubeRunbooks.Databases.Postgres;
using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Logging;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Secrets;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>One RotateDatabasePassword run: its plan, the database server, the Secret writer, and the way back to the old value.</summary>
internal sealed class DatabasePasswordKit
{
    public DatabasePasswordKit(RunbookContext context)
    {
        Context = context;
        Plan = context.Plan<DatabasePasswordPlan>();
        Log = LineSinks.ToCakeLog(context.Log);
        Secrets = new SecretWriter(context.Kubernetes, Log);
        Workloads = new WorkloadOperations(context.Kubernetes, Log);
    }

    public RunbookContext Context { get; }

    public DatabasePasswordPlan Plan { get; }

    public Action<string> Log { get; }

    public SecretWriter Secrets { get; }

    public WorkloadOperations Workloads { get; }

    public CancellationToken Token => Context.LockLost;

    /// <summary>The database server in a ready pod.</summary>
    public Task<PostgresInPod> ServerAsync(CancellationToken cancellationToken) => KamonohashiDatabase.ReadyServerAsync(Context, Plan.Settings, cancellationToken);

    /// <summary>Null when <paramref name="password"/> logs in over the database's Service, else why not.</summary>
    public async Task<string?> TryLoginAsync(string password, CancellationToken cancellationToken) =>
        await (await ServerAsync(cancellationToken).ConfigureAwait(false)).TryLoginAsync(Plan.Settings.DatabaseService, Plan.Role, password, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Puts the old value back everywhere it was changed (the role, the Secret, the consumers already rolled out), checks
    /// that it logs in, and returns the exception to throw: what failed, and what state the run left.
    /// </summary>
    public async Task<Exception> RevertAsync(Exception failure, string step, bool secretWritten)
    {
        Context.Log.Error("{0}", $"{step} failed: {failure.Message}");
        Context.Log.Warning("{0}", "Putting the old database password back.");
        using var timeout = new CancellationTokenSource(Context.Profile.Timeouts.Rollout * 3); // not the lock's token: the way back must run
        var problems = new List<string>();
        try
        {
            await (await ServerAsync(timeout.Token).ConfigureAwait(false)).SetPasswordAsync(Plan.Role, Plan.OldPassword, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) { problems.Add($"role {Plan.Role}: {e.Message}"); }
        if (secretWritten)
        {
            try
            {
                var spec = await Plan.SecretWithAsync(Secrets, Plan.OldPassword, timeout.Token).ConfigureAwait(false);
                await Secrets.WriteAsync(spec, Context.RunId, timeout.Token).ConfigureAwait(false);
                await Secrets.VerifyAsync(spec, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) { problems.Add($"{Plan.SecretDescription}: {e.Message}"); }
            // Every consumer restarts with the old value: one rolled with the new value would fail to log in.
            foreach (var consumer in Plan.Consumers)
            {
                try
                {
                    await Workloads.RolloutRestartAsync(consumer, DateTimeOffset.UtcNow, timeout.Token).ConfigureAwait(false);
                    await Workloads.WaitForRolloutAsync(consumer, Context.Profile.Timeouts.Rollout, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) { problems.Add($"rollout of {consumer}: {e.Message}"); }
            }
        }
        try
        {
            if (await TryLoginAsync(Plan.OldPassword, timeout.Token).ConfigureAwait(false) is { } refused) problems.Add($"the old password does not log in: {refused}");
        }
        catch (Exception e) { problems.Add($"login check: {e.Message}"); }

        return problems.Count == 0
            ? new StepFailedException($"{step} failed ({failure.Message.TrimEnd('.')}). The old password was put back{(secretWritten ? $" in role {Plan.Role}, {Plan.SecretDescription} and the consumers ({string.Join(", ", Plan.Consumers.Select(c => c.Name))})" : $" in role {Plan.Role}; the Secret was not changed")} and logs in again.", failure)
            : new StepFailedException($"{step} failed ({failure.Message.TrimEnd('.')}) and putting the old password back failed in part: {string.Join("; ", problems)}. Check role {Plan.Role} and {Plan.SecretDescription} by hand.", failure);
    }
}

using System.Text;
using Cake.Core.Diagnostics;
using k8s;
using KubeRunbooks.Backups;
using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Kubernetes.Logging;
using KubeRunbooks.Kubernetes.Pods;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Downtime;
using KubeRunbooks.Runbooks.Ledger;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>
/// The runbook kit bound to one Exastro run: the plan, the ledger on the reverse proxy, the two downtime windows
/// (the reverse proxy stops first and starts last), the maintenance pod, and the clean-up every failing step runs:
/// maintenance pod deleted, services back at their recorded replicas, the operation closed.
/// </summary>
internal sealed class ExastroKit
{
    // The seed's pod only sleeps (its shell ignores TERM): nothing to shut down cleanly, so no grace period to wait out.
    private static readonly TimeSpan MaintenanceGracePeriod = TimeSpan.Zero;

    /// <summary>The container name of the maintenance pod (the seed names it as the pod).</summary>
    public string Container => Plan.Settings.MaintenancePod;

    public ExastroKit(RunbookContext context)
    {
        Context = context;
        Plan = context.Plan<ExastroPlan>();
        Log = LineSinks.ToCakeLog(context.Log);
        var workloads = new WorkloadOperations(context.Kubernetes, Log);
        var notes = new AnnotationStore(workloads, Log);
        var group = new WorkloadGroup(workloads, notes, Log);
        Ledger = new OperationLedger(notes, Plan.Install.ReverseProxy);
        var timeout = context.Profile.Timeouts.PodReady;
        Proxy = new DowntimeWindow(group, [Plan.Install.ReverseProxy], Plan.Install.FallbackReplicas, timeout, Ledger);
        Backyard = new DowntimeWindow(group, Plan.Install.Backyard, Plan.Install.FallbackReplicas, timeout, Ledger);
        Exec = new PodExec(context.Kubernetes);
        Backups = new PodBackups(Exec);
    }

    public RunbookContext Context { get; }

    public ExastroPlan Plan { get; }

    public Action<string> Log { get; }

    public OperationLedger Ledger { get; }

    public DowntimeWindow Proxy { get; }

    public DowntimeWindow Backyard { get; }

    public PodExec Exec { get; }

    public PodBackups Backups { get; }

    /// <summary>Cancelled when the cluster lock is lost.</summary>
    public CancellationToken Token => Context.LockLost;

    /// <summary>The namespace.</summary>
    public string Namespace => Plan.Settings.Namespace;

    /// <summary>The maintenance pod's name.</summary>
    public string PodName => Plan.Settings.MaintenancePod;

    /// <summary>
    /// A shell script run in the maintenance pod; for a database, its admin password from its Secret as
    /// <c>MYSQL_PWD</c> in the command's environment only (registered with the masker first).
    /// </summary>
    public async Task<ExecRequest> RequestAsync(string script, ExastroDatabase? database = null)
    {
        var request = new ExecRequest(Namespace, PodName, Container, ["sh", "-c", script]);
        if (database is null) return request;
        var secret = await Context.Kubernetes.CoreV1.ReadNamespacedSecretAsync(database.Secret, Namespace, cancellationToken: Token).ConfigureAwait(false);
        var password = secret.Data is { } data && data.TryGetValue(ExastroDatabase.PasswordKey, out var bytes)
            ? Encoding.UTF8.GetString(bytes)
            : throw new StepFailedException($"Secret {Namespace}/{database.Secret} has no key {ExastroDatabase.PasswordKey}.");
        Context.Masker.Register(password);
        return request with { Secrets = new Dictionary<string, string> { ["MYSQL_PWD"] = password } };
    }

    /// <summary>Records the replicas, then stops the reverse proxy and then the backyard, each waiting until its pods are gone.</summary>
    public async Task<IReadOnlyList<(WorkloadRef Workload, int Replicas)>> StopAsync()
    {
        var recorded = (await Proxy.RecordAsync(Token).ConfigureAwait(false)).Concat(await Backyard.RecordAsync(Token).ConfigureAwait(false)).ToList();
        await Proxy.StopAsync(Token).ConfigureAwait(false);
        await Backyard.StopAsync(Token).ConfigureAwait(false);
        return recorded;
    }

    /// <summary>Brings the backyard and then the reverse proxy back to their recorded replicas (not cancellable).</summary>
    public async Task<IReadOnlyList<(WorkloadRef Workload, int Replicas)>> StartAsync()
    {
        var backyard = await Backyard.BringBackAsync(CancellationToken.None).ConfigureAwait(false);
        var proxy = await Proxy.BringBackAsync(CancellationToken.None).ConfigureAwait(false);
        return backyard.Concat(proxy).ToList();
    }

    /// <summary>
    /// Creates the maintenance pod (the seed's manifest, labelled as this tool's) and waits until it is Ready; a leftover
    /// of a killed run is replaced. It lives on after this step, until <see cref="DeleteMaintenancePodAsync"/>.
    /// </summary>
    public async Task StartMaintenancePodAsync()
    {
        // No await using: the pod outlives this task (the dump and restore steps exec in it); DeleteMaintenancePod removes it.
        _ = await TransientPod.StartAsync(Context.Kubernetes, MaintenancePodManifest.For(Plan.Settings), MaintenancePodManifest.Purpose,
            Context.Profile.Timeouts.PodReady, Token, MaintenanceGracePeriod).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes the maintenance pod and waits until it is gone (not cancellable); a pod of that name this tool did not
    /// create is left as it is and said so.
    /// </summary>
    public async Task DeleteMaintenancePodAsync()
    {
        var found = await TransientPod.DeleteAsync(Context.Kubernetes, Namespace, PodName, MaintenancePodManifest.Purpose,
            Context.Profile.Timeouts.PodReady, MaintenanceGracePeriod).ConfigureAwait(false);
        if (found == TransientPodPresence.Foreign)
            Context.Log.Warning($"Pod {Namespace}/{PodName} was not created by this tool: left as it is.");
    }

    /// <summary>
    /// Runs <paramref name="step"/>; when it fails, deletes the maintenance pod, brings the services back, closes the
    /// operation and throws one message saying what failed and the state left (<paramref name="onFailure"/> runs
    /// first, e.g. to mark a backup set failed).
    /// </summary>
    public async Task GuardAsync(string what, Func<Task> step, Action<string>? onFailure = null)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !Token.IsCancellationRequested)
        {
            var reason = Context.Masker.Mask(failure.Message.TrimEnd('.'));
            Context.Log.Error($"{what} failed: {reason}. Deleting the maintenance pod and starting the services again.");
            onFailure?.Invoke($"{what} failed: {reason}");
            throw await CleanUpAsync($"{what} failed: {reason}.", failure).ConfigureAwait(false);
        }
    }

    private async Task<Exception> CleanUpAsync(string message, Exception failure)
    {
        var timeout = Context.Profile.Timeouts.PodReady;
        try
        {
            await DeleteMaintenancePodAsync().ConfigureAwait(false);
            var restored = await StartAsync().ConfigureAwait(false);
            await Ledger.FinishAsync(CancellationToken.None).ConfigureAwait(false);
            Context.Facts.Record(ExastroFacts.ReplicasRestored, DowntimeWindow.Describe(restored));
            return new StepFailedException($"{message} The maintenance pod {Namespace}/{PodName} was deleted and the services were started again ({DowntimeWindow.Describe(restored)}).", failure);
        }
        catch (Exception cleanup) when (cleanup is not StepFailedException)
        {
            return new StepFailedException($"{message} Cleaning up failed too ({Context.Masker.Mask(cleanup.Message.TrimEnd('.'))}): the maintenance pod or the services may be left as they were; run {Plan.RerunCommand} to finish (it deletes the pod and brings the services back to their recorded replicas).", failure);
        }
    }
}

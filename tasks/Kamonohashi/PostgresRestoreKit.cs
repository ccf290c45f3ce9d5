using Cake.Core.Diagnostics;
using k8s;
using k8s.Models;
using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Kubernetes.Logging;
using KubeRunbooks.Kubernetes.Pods;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Downtime;
using KubeRunbooks.Runbooks.Ledger;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>
/// The runbook kit bound to one PostgresRestore run: its plan, the ledger on the database workload, the two downtime
/// windows (the application, then the database), the pods it makes, and the way back when a step after the move fails.
/// </summary>
internal sealed class PostgresRestoreKit
{
    /// <summary>Taken: the name the original data folder was given beside it.</summary>
    public const string DataAsideKey = "dataAside";

    /// <summary>Taken: the name a killed run's unfinished restore folder was given.</summary>
    public const string FailedRestoreKey = "failedRestore";

    /// <summary>Mark: the original data folder was moved aside.</summary>
    public const string MovedMark = "movedAt";

    /// <summary>Mark: the dump was restored whole into the new data folder.</summary>
    public const string RestoredMark = "restoredAt";

    /// <summary>The restore pod's purpose label.</summary>
    public const string RestorePurpose = "postgres-restore";

    // What a restored server keeps of the original folder: its own authentication and settings, not the restore pod's trust.
    private static readonly string[] ConfigFiles = ["pg_hba.conf", "pg_ident.conf", "postgresql.conf", "postgresql.auto.conf"];

    public PostgresRestoreKit(RunbookContext context)
    {
        Context = context;
        Plan = context.Plan<PostgresRestorePlan>();
        Log = LineSinks.ToCakeLog(context.Log);
        Workloads = new WorkloadOperations(context.Kubernetes, Log);
        var notes = new AnnotationStore(Workloads, Log);
        var group = new WorkloadGroup(Workloads, notes, Log);
        Ledger = new OperationLedger(notes, Plan.Database);
        var settings = Plan.Settings;
        int Fallback(WorkloadRef w) => w == Plan.Database ? settings.Database.Replicas : settings.Application.Replicas;
        AppWindow = new DowntimeWindow(group, Plan.Application, Fallback, context.Profile.Timeouts.PodReady, Ledger);
        DatabaseWindow = new DowntimeWindow(group, [Plan.Database], Fallback, context.Profile.Timeouts.PodReady, null);
    }

    public RunbookContext Context { get; }

    public PostgresRestorePlan Plan { get; }

    public Action<string> Log { get; }

    public WorkloadOperations Workloads { get; }

    public OperationLedger Ledger { get; }

    public DowntimeWindow AppWindow { get; }

    public DowntimeWindow DatabaseWindow { get; }

    public IKubernetes Client => Context.Kubernetes;

    public CancellationToken Token => Context.LockLost;

    public TimeSpan PodTimeout => Context.Profile.Timeouts.PodReady;

    /// <summary>The restore pod's name.</summary>
    public string RestorePodName => KubernetesPodName(Plan.Database.Name, "-restore");

    /// <summary>The folder pod's name.</summary>
    public string FolderPodName => KubernetesPodName(Plan.Database.Name, "-folders");

    /// <summary>The operation record (null when none is open).</summary>
    public Task<OperationRecord?> RecordAsync() => Ledger.ReadAsync(Token);

    /// <summary>A pod with the data folder's parent mounted, on the database's node(s).</summary>
    public Task<HostFolderPod> FoldersAsync() =>
        HostFolderPod.StartAsync(Client, Plan.Database.Namespace, FolderPodName, Plan.Image, Plan.ParentHostPath, Plan.Template.Spec, PodTimeout, Token);

    /// <summary>The restore pod: the database's own pod spec (image, volumes, env) on the new data folder, trust auth, no Service label.</summary>
    public V1Pod RestorePodManifest()
    {
        var spec = KubernetesJson.Deserialize<V1PodSpec>(KubernetesJson.Serialize(Plan.Template.Spec));
        spec.RestartPolicy = "Never";
        var container = spec.Containers.First(c => c.Name == Plan.Settings.DatabaseContainer);
        container.Env = (container.Env ?? []).Where(e => e.Name != "POSTGRES_HOST_AUTH_METHOD").Append(new V1EnvVar { Name = "POSTGRES_HOST_AUTH_METHOD", Value = "trust" }).ToList();
        container.ReadinessProbe = null;
        container.LivenessProbe = null;
        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = RestorePodName, NamespaceProperty = Plan.Database.Namespace, Labels = new Dictionary<string, string> { ["kuberunbooks.io/restore-of"] = Plan.Database.Name } },
            Spec = spec,
        };
    }

    /// <summary>Copies the original folder's configuration into the restored one (see <see cref="ConfigFiles"/>).</summary>
    public Task<IReadOnlyList<string>> CopyConfigurationAsync(HostFolderPod folders, string aside) =>
        folders.CopyFilesAsync(aside, Plan.DataFolderName, ConfigFiles, Token);

    /// <summary>
    /// The way back after the move: the restore pod removed, the database stopped, the restore's folder renamed aside
    /// (kept), the original put back, the database and the application at their recorded replicas, the ledger closed.
    /// Throws the failure as one message naming the set and the state left; a way back that fails itself says so.
    /// </summary>
    public async Task<Exception> RollBackAsync(Exception failure, string step)
    {
        var set = Plan.Set.Name;
        Context.Log.Error("{0}", $"{step} failed: {failure.Message}");
        Context.Log.Warning("{0}", $"Putting the original data folder back and starting everything as it was (the restore of {set} is abandoned).");
        string? kept = null;
        using var timeout = new CancellationTokenSource(PodTimeout * 4); // not the lock's token: the way back must run
        try
        {
            var aside = (await Ledger.ReadAsync(timeout.Token).ConfigureAwait(false))?.TakenOf(DataAsideKey);
            await TransientPod.DeleteLeftoverAsync(Client, Plan.Database.Namespace, RestorePodName, RestorePurpose, PodTimeout, timeout.Token).ConfigureAwait(false);
            await DatabaseWindow.StopAsync(timeout.Token).ConfigureAwait(false);
            if (aside is not null)
            {
                await using var folders = await HostFolderPod.StartAsync(Client, Plan.Database.Namespace, FolderPodName, Plan.Image, Plan.ParentHostPath, Plan.Template.Spec, PodTimeout, timeout.Token).ConfigureAwait(false);
                if (await folders.ExistsAsync(aside, timeout.Token).ConfigureAwait(false))
                {
                    if (await folders.ExistsAsync(Plan.DataFolderName, timeout.Token).ConfigureAwait(false))
                    {
                        kept = FailedName();
                        await folders.MoveAsync(Plan.DataFolderName, kept, timeout.Token).ConfigureAwait(false);
                    }
                    await folders.MoveAsync(aside, Plan.DataFolderName, timeout.Token).ConfigureAwait(false);
                }
            }
            var database = await DatabaseWindow.BringBackAsync(timeout.Token).ConfigureAwait(false);
            var app = await AppWindow.BringBackAsync(timeout.Token).ConfigureAwait(false);
            await Ledger.FinishAsync(timeout.Token).ConfigureAwait(false);
            Context.Log.Information("{0}", $"Rolled back: {DowntimeWindow.Describe(database.Concat(app))} running on the original data folder {Plan.DataHostPath}.");
        }
        catch (Exception back) when (back is not OperationCanceledException || timeout.IsCancellationRequested)
        {
            return new StepFailedException(
                $"The restore of {set} failed ({failure.Message.TrimEnd('.')}) and putting things back failed too ({back.Message.TrimEnd('.')}). " +
                $"The operation stays recorded on {Plan.Database}: the original data folder is {Plan.DataHostPath} or, if it was moved, the '{DataAsideKey}' recorded there (beside it in {Plan.ParentHostPath}); " +
                $"run {Plan.RerunCommand} to finish the restore, or put it back by hand.", failure);
        }
        return new StepFailedException(
            $"The restore of {set} failed in {step} ({failure.Message.TrimEnd('.')}). The original data folder was put back at {Plan.DataHostPath} on the node " +
            $"and the database and the application were started as they were{(kept is null ? "" : $"; the unfinished restore is kept at {Plan.ParentHostPath}/{kept}")}.", failure);
    }

    /// <summary>A name beside the data folder for an unfinished restore's folder (kept, never deleted).</summary>
    public string FailedName() => $"{Plan.DataFolderName}.kuberunbooks-failed-restore-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}";

    /// <summary>The name the original data folder is given beside it.</summary>
    public string AsideName() => $"{Plan.DataFolderName}.kuberunbooks-aside-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}";

    private static string KubernetesPodName(string workload, string suffix) =>
        (workload.Length + suffix.Length > 63 ? workload[..(63 - suffix.Length)] : workload) + suffix;
}

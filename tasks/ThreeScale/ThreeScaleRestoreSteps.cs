using System.Text.Json.Nodes;
using KubeRunbooks.Backups;
using KubeRunbooks.Backups.Archives;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Kubernetes.Logging;
using KubeRunbooks.Kubernetes.Resources;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Redis;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Tasks.OpenShift;

namespace KubeRunbooks.Tasks.ThreeScale;

/// <summary>What the ThreeScaleRestore steps share: the pods they work in and the capabilities they call.</summary>
internal sealed class ThreeScaleRestoreSteps
{
    private readonly RunbookContext _context;

    public ThreeScaleRestoreSteps(RunbookContext context)
    {
        _context = context;
        Plan = ThreeScaleRestorePlan.Of(context);
        Log = LineSinks.ToCakeLog(context.Log);
        Exec = new PodExec(context.Kubernetes);
        Rollout = new WorkloadRollout(context.Kubernetes, OpenShiftApis.DeploymentConfigs, Log);
        Ledger = ThreeScaleRestoreLedger.For(context, Plan.Workloads, Log);
    }

    /// <summary>The operation record on system-app.</summary>
    public OperationLedger Ledger { get; }

    public ThreeScaleRestorePlan Plan { get; }

    public Action<string> Log { get; }

    public PodExec Exec { get; }

    public WorkloadRollout Rollout { get; }

    public string Namespace => Plan.Settings.Namespace;

    public CancellationToken Token => _context.LockLost;

    public void Stderr(string line) => Log("  | " + line);

    /// <summary>The first container of a running, ready pod of the workload (waited for up to timeouts.podReady).</summary>
    public async Task<PodContainer> ContainerAsync(string workload)
    {
        var pod = await Rollout.WaitForPodAsync(Namespace, ThreeScaleInstall.PodSelector(workload), _context.Profile.Timeouts.PodReady, Token);
        return new PodContainer(Namespace, pod.Metadata.Name, pod.Spec.Containers[0].Name);
    }

    /// <summary>Applies the set's exported objects, in order, into the install's namespace.</summary>
    public async Task ApplyAsync(ResourceType type, IReadOnlyList<BackupFileEntry> files)
    {
        var export = new ResourceExport(_context.Kubernetes);
        foreach (var file in files)
        {
            JsonObject obj;
            await using (var content = Plan.Set.OpenContent(file.Name))
                obj = (JsonObject)(await JsonNode.ParseAsync(content, cancellationToken: Token))!;
            var outcome = await export.ApplyAsync(type, obj, Namespace, Token, file.Name);
            Log($"{file.Object}: {outcome.ToString().ToLowerInvariant()} from {file.Name}");
        }
    }

    /// <summary>A PostgreSQL dump of the set streamed into <c>psql</c> in the workload's pod, as the database superuser.</summary>
    public async Task PsqlAsync(string workload, string file)
    {
        var db = await ContainerAsync(workload);
        var errors = 0;
        await new PodBackups(Exec).RestoreAsync(Plan.Set, file, db.Exec("psql", "-U", "postgres", "-d", "postgres", "-q", "-f", "-"),
            stderrLine: line => { if (line.Contains("ERROR:", StringComparison.Ordinal)) errors++; Stderr(line); }, cancellationToken: Token);
        // psql -f goes on after an error as the seed runs it (pg_dumpall's CREATE ROLE of the superuser always fails).
        Log($"{file} read into {db} ({errors} statement errors, shown above).");
        _context.Journal.RecordFact($"{workload}.psqlErrors", errors.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The seed's Redis restore for one workload, with <c>redis-config</c> put back whatever happens.</summary>
    public async Task<RedisDumpLoadResult> LoadRedisAsync(string workload, string file)
    {
        var staging = Directory.CreateTempSubdirectory("kuberunbooks-rdb-"); // mode 0700 on Unix (mkdtemp)
        try
        {
            var local = Path.Combine(staging.FullName, file);
            await using (var content = Plan.Set.OpenContent(file))
            await using (var output = File.Create(local))
                await content.CopyToAsync(output, Token);
            var request = new RedisDumpLoadRequest(Plan.Workloads[workload], ThreeScaleInstall.PodSelector(workload), ThreeScaleInstall.RedisConfigMap,
                ThreeScaleInstall.RedisConfigKey, ThreeScaleInstall.RedisDataFolder, local, Plan.AsideSuffix);
            // Recorded as soon as moved (and again when moved back), so a rerun after a kill names them.
            var key = ThreeScaleRestoreLedger.MovedAsideKey(workload, Plan.AsideSuffix);
            var result = await new RedisDumpLoad(_context.Kubernetes, Rollout, _context.Profile.Timeouts.Rollout, Log).LoadAsync(request, Token,
                (kept, ct) => Ledger.TakeAsync(key, ThreeScaleRestoreLedger.MovedAsideValue(ThreeScaleInstall.RedisDataFolder, kept), ct));
            _context.Journal.RecordFact($"{workload}.keys", result.Keys.ToString(System.Globalization.CultureInfo.InvariantCulture));
            _context.Journal.RecordFact($"{workload}.movedAside", string.Join(", ", result.MovedAside.Select(f => $"{ThreeScaleInstall.RedisDataFolder}/{f}")));
            Log($"{workload}: {result.Keys} keys loaded from {file}; kept aside in {ThreeScaleInstall.RedisDataFolder}: {(result.MovedAside.Count == 0 ? "nothing" : string.Join(", ", result.MovedAside))}.");
            return result;
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }
}

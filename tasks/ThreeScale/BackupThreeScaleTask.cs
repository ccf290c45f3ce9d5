using System.Text;
using System.Text.Json;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Backups;
using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Kubernetes.Logging;
using KubeRunbooks.Kubernetes.Resources;
using KubeRunbooks.Kubernetes.Watching;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Redis;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Tasks.OpenShift;

namespace KubeRunbooks.Tasks.ThreeScale;

/// <summary>
/// Seed 004's backup procedures into one set: the system database (<c>mysqldump --single-transaction</c> with
/// <c>MYSQL_PWD</c> from the pod's <c>MYSQL_ROOT_PASSWORD</c>, or <c>pg_dumpall -c --if-exists</c>), the system
/// storage as tar.gz, zync-database, a dump of each Redis taken after a fresh <c>BGSAVE</c>, and each Secret and
/// ConfigMap as <c>NAME.json</c> without server-owned fields. The set counts only once verified whole.
/// </summary>
[TaskName("BackupThreeScale")]
[TaskDescription("Dumps, storage archive, Redis dumps, Secrets and ConfigMaps of 3scale into one verified backup set")]
public sealed class BackupThreeScaleTask : AsyncFrostingTask<RunbookContext>
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var plan = ThreeScaleBackupPlan.Of(context);
        if (!plan.Runs)
        {
            context.Log.Information("{0}", $"No backup: {plan.Gate!.Reason}.");
            return;
        }
        var ns = plan.Settings.Namespace;
        var log = LineSinks.ToCakeLog(context.Log);
        var exec = new PodExec(context.Kubernetes);
        var dumps = new PodBackups(exec);
        var rollout = new WorkloadRollout(context.Kubernetes, OpenShiftApis.DeploymentConfigs, log);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.LockLost);
        timeout.CancelAfter(context.Profile.Timeouts.Job);
        var token = timeout.Token;
        var set = BackupSetWriter.Create(plan.BackupFolder, ThreeScaleInstall.BackupKind, plan.Cluster);
        context.Log.Information($"Backup set {set.Folder}");
        void Stderr(string line) => context.Log.Information($"  | {line}");
        try
        {
            // The system database, as the seed's `oc rsh ... | gzip`.
            var db = await ContainerAsync(rollout, ns, context.Profile.Timeouts.PodReady, plan.Workloads.DatabaseName, token);
            var dump = plan.Workloads.Database == ThreeScaleSystemDatabase.Mysql
                ? db.Exec("sh", "-c", "MYSQL_PWD=\"$MYSQL_ROOT_PASSWORD\"; export MYSQL_PWD; exec mysqldump --single-transaction -h\"$1\" -uroot \"$2\"",
                    "kuberunbooks-dump", ThreeScaleInstall.SystemMysql, ThreeScaleInstall.MysqlDatabase)
                : PgDumpAll(db);
            var content = plan.Workloads.Database == ThreeScaleSystemDatabase.Mysql ? BackupContent.MysqlDump : BackupContent.PostgresClusterDump;
            Written(context, await dumps.DumpAsync(set, new BackupFileSpec(plan.Workloads.DatabaseFile, content, BackupCompression.Gzip), dump, Stderr, cancellationToken: token));

            // The system storage, as the seed's `oc rsync POD:/opt/system/public/system`.
            var app = await ContainerAsync(rollout, ns, context.Profile.Timeouts.PodReady, ThreeScaleInstall.SystemApp, token);
            Written(context, await dumps.DumpAsync(set, new BackupFileSpec(ThreeScaleInstall.StorageFile, BackupContent.Tar, BackupCompression.Gzip),
                app.Exec("tar", "cf", "-", "-C", ThreeScaleInstall.StorageFolder, "."), Stderr, cancellationToken: token));

            var zync = await ContainerAsync(rollout, ns, context.Profile.Timeouts.PodReady, ThreeScaleInstall.ZyncDatabase, token);
            Written(context, await dumps.DumpAsync(set, new BackupFileSpec(ThreeScaleInstall.ZyncFile, BackupContent.PostgresClusterDump, BackupCompression.Gzip),
                PgDumpAll(zync), Stderr, cancellationToken: token));

            // Each Redis: a fresh BGSAVE first, so the dump is not hours old (the seed copies dump.rdb as it is).
            var snapshot = new RedisSnapshot(exec);
            foreach (var (workload, file) in new[] { (ThreeScaleInstall.BackendRedis, ThreeScaleInstall.BackendRedisFile), (ThreeScaleInstall.SystemRedis, ThreeScaleInstall.SystemRedisFile) })
            {
                var redis = await ContainerAsync(rollout, ns, context.Profile.Timeouts.PodReady, workload, token);
                var endpoint = new RedisEndpoint(ns, redis.Pod, redis.Container) { CliArguments = ["-h", redis.Pod] };
                RedisSnapshotResult? taken = null;
                var entry = await set.WriteFileAsync(new BackupFileSpec(file, BackupContent.RedisRdb)
                    {
                        Namespace = ns, Object = $"pod/{redis.Pod} container {redis.Container}", Command = "redis-cli BGSAVE, then tar of dump.rdb",
                    },
                    async (stream, ct) => taken = await snapshot.TakeAsync(endpoint, stream, plan.Settings.RedisSaveTimeout, ct), cancellationToken: token);
                Written(context, entry);
                context.Log.Information($"  {workload}: BGSAVE finished, LASTSAVE {taken!.LastSaveBefore} -> {taken.LastSave}");
            }

            // Secrets and ConfigMaps, as the seed's `oc get ... -o json --export | jq 'del(...)'`.
            var export = new ResourceExport(context.Kubernetes);
            var absent = new List<string>();
            foreach (var (type, names) in new[] { (ResourceType.Secrets, ThreeScaleInstall.Secrets), (ResourceType.ConfigMaps, ThreeScaleInstall.ConfigMaps) })
            {
                foreach (var name in names)
                {
                    var obj = await export.ExportAsync(type, ns, name, token);
                    var what = $"{type.Kind.ToLowerInvariant()}/{name}";
                    if (obj is null)
                    {
                        if (type == ResourceType.Secrets && plan.Settings.OptionalSecrets.Contains(name)) { absent.Add(what); continue; }
                        throw new StepFailedException($"{what} does not exist in namespace {ns}; it is part of the seed's backup (optional Secrets: threescale.optionalSecrets = {string.Join(",", plan.Settings.OptionalSecrets)}).");
                    }
                    var bytes = Encoding.UTF8.GetBytes(obj.ToJsonString(Indented) + "\n");
                    Written(context, await set.WriteBytesAsync(new BackupFileSpec(name + ".json", BackupContent.Raw) { Namespace = ns, Object = what, Command = "export without server-owned fields" }, bytes, token));
                }
            }
            foreach (var missing in absent) context.Log.Warning($"{missing} does not exist (optional): not in the set.");
            context.Journal.RecordFact("absent", string.Join(", ", absent));

            var manifest = await set.CompleteAsync(token);
            context.Journal.RecordFact("backupSet", set.Name);
            context.Facts.Record(ThreeScaleFacts.BackupSet, set.Folder);
            context.Journal.RecordFact("files", manifest.Files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            context.Log.Information($"3scale backup set {set.Name} is complete and verified: {manifest.Files.Count} files. Restore it with --target={ThreeScaleTargets.Restore} --backup={set.Name}");
        }
        catch (Exception e) when (e is not OperationCanceledException || context.LockLost.IsCancellationRequested || timeout.IsCancellationRequested)
        {
            var message = e switch
            {
                WaitTimeoutException or RedisCommandException or ExecFailedException or BackupFailedException or StepFailedException => e.Message,
                OperationCanceledException => $"the backup did not finish within {context.Profile.Timeouts.Job} (timeouts.job)",
                _ => e.Message,
            };
            set.Fail(message);
            throw new StepFailedException($"The 3scale backup failed: {message} The set {set.Name} is {(Directory.Exists(set.Folder) ? "kept, marked failed" : "removed (no file was finished)")}; nothing on the cluster was changed.", e);
        }
    }

    // As the seed's `oc rsh POD bash -c 'pg_dumpall -c --if-exists'`, as the image's database superuser.
    private static ExecRequest PgDumpAll(PodContainer db) => db.Exec("pg_dumpall", "-U", "postgres", "-c", "--if-exists");

    private static async Task<PodContainer> ContainerAsync(WorkloadRollout rollout, string ns, TimeSpan timeout, string workload, CancellationToken token)
    {
        var pod = await rollout.WaitForPodAsync(ns, ThreeScaleInstall.PodSelector(workload), timeout, token);
        return new PodContainer(ns, pod.Metadata.Name, pod.Spec.Containers[0].Name);
    }

    private static void Written(RunbookContext context, BackupFileEntry entry) =>
        context.Log.Information($"  {entry.Name}: {entry.Size} bytes ({entry.ContentSize} of content), sha256 {entry.Sha256}");
}

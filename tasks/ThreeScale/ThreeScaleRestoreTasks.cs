using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Backups.Archives;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Kubernetes.Resources;
using KubeRunbooks.Redis;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.ThreeScale;

// The steps of ThreeScaleRestore, one per section of the seed's "Restore Procedures", in its order.

/// <summary>Verifies the set (checksums, gzip, tar, markers) and finds the workloads before anything changes.</summary>
[TaskName("ThreeScaleRestorePreflight")]
[TaskDescription("Verifies the backup set and finds the 3scale workloads; changes nothing")]
public sealed class ThreeScaleRestorePreflightTask : FrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override void Run(RunbookContext context)
    {
        var plan = ThreeScaleRestorePlan.Of(context);
        context.Log.Information("{0}", $"Backup set {plan.Set.Name} is good ({plan.Set.Manifest.Files.Count} files, taken {plan.Set.Manifest.Started:u} from cluster {plan.Set.Manifest.Cluster}).");
        context.Log.Information("{0}", $"Restoring into namespace {plan.Settings.Namespace}: {string.Join(", ", plan.Workloads.ByName.Values.Select(w => w.ToString()))}.");
        context.Journal.RecordFact("backupSet", plan.Set.Name);
        context.Journal.RecordFact("systemDatabase", plan.Workloads.DatabaseName);
        if (plan.Ledger.Resumed is { } resumed)
        {
            var kept = ThreeScaleRestoreLedger.MovedAside(resumed);
            context.Log.Warning("{0}", $"Resuming the unfinished {resumed.Describe()} recorded on {plan.Anchor}: every step runs again from the set.");
            context.Log.Warning("{0}", kept.Count == 0 ? "It recorded no Redis files moved aside." : $"Kept aside by it (not deleted): {string.Join("; ", kept)}.");
            context.Journal.RecordFact("resumed", resumed.Describe());
            context.Journal.RecordFact("movedAsideEarlier", string.Join("; ", kept));
        }
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = ThreeScaleRestorePlan.Of((RunbookContext)context);
        var ns = plan.Settings.Namespace;
        yield return $"apply {plan.SecretFiles.Count} Secrets and {plan.ConfigMapFiles.Count} ConfigMaps from {plan.Set.Name} into namespace {ns}";
        yield return $"read {plan.Workloads.DatabaseFile} into {plan.Workloads.DatabaseName}";
        yield return $"mirror {ThreeScaleInstall.StorageFile} into {ThreeScaleInstall.SystemApp}:{ThreeScaleInstall.StorageFolder}, deleting files the set does not hold";
        yield return $"read {ThreeScaleInstall.ZyncFile} into {ThreeScaleInstall.ZyncDatabase}";
        foreach (var redis in new[] { ThreeScaleInstall.BackendRedis, ThreeScaleInstall.SystemRedis })
            yield return $"{redis}: configmap {ns}/{ThreeScaleInstall.RedisConfigMap} without save and appendonly, roll out, move dump.rdb / appendonly.aof / appendonlydir aside as NAME{plan.AsideSuffix}, copy the dump in, roll out, configmap back, roll out (the files kept aside named in the operation record on {plan.Anchor})";
        yield return $"roll out {ThreeScaleInstall.BackendWorker} and {ThreeScaleInstall.SystemApp}";
        yield return $"run 'bundle exec rake zync:resync:domains' in {ThreeScaleInstall.SystemSidekiq}";
    }
}

/// <summary>The seed's "Restore secrets": the 13 Secrets applied (created, or replaced when present).</summary>
[TaskName("RestoreThreeScaleSecrets")]
[TaskDescription("Applies the set's Secrets")]
public sealed class RestoreThreeScaleSecretsTask : AsyncFrostingTask<RunbookContext>
{
    /// <inheritdoc />
    public override Task RunAsync(RunbookContext context)
    {
        var steps = new ThreeScaleRestoreSteps(context);
        return steps.ApplyAsync(ResourceType.Secrets, steps.Plan.SecretFiles);
    }
}

/// <summary>The seed's "Restore configmaps": the 7 ConfigMaps applied.</summary>
[TaskName("RestoreThreeScaleConfigMaps")]
[TaskDescription("Applies the set's ConfigMaps")]
public sealed class RestoreThreeScaleConfigMapsTask : AsyncFrostingTask<RunbookContext>
{
    /// <inheritdoc />
    public override Task RunAsync(RunbookContext context)
    {
        var steps = new ThreeScaleRestoreSteps(context);
        return steps.ApplyAsync(ResourceType.ConfigMaps, steps.Plan.ConfigMapFiles);
    }
}

/// <summary>
/// The seed's system-mysql or system-database section: the dump streamed into <c>mysql -hsystem-mysql -uroot
/// system</c> (<c>MYSQL_PWD</c> from the pod's <c>MYSQL_ROOT_PASSWORD</c>) or <c>psql</c> (the seed decompresses the
/// file, then reads the <c>.gz</c> name: what it means is the decompressed dump, streamed here).
/// </summary>
[TaskName("RestoreThreeScaleSystemDatabase")]
[TaskDescription("Streams the system database dump into system-mysql (mysql) or system-database (psql)")]
public sealed class RestoreThreeScaleSystemDatabaseTask : AsyncFrostingTask<RunbookContext>
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var steps = new ThreeScaleRestoreSteps(context);
        if (steps.Plan.Workloads.Database == ThreeScaleSystemDatabase.Postgres)
        {
            await steps.PsqlAsync(ThreeScaleInstall.SystemDatabase, ThreeScaleInstall.PostgresFile);
            return;
        }
        var db = await steps.ContainerAsync(ThreeScaleInstall.SystemMysql);
        await new Backups.PodBackups(steps.Exec).RestoreAsync(steps.Plan.Set, ThreeScaleInstall.MysqlFile,
            db.Exec("sh", "-c", "MYSQL_PWD=\"$MYSQL_ROOT_PASSWORD\"; export MYSQL_PWD; exec mysql -h\"$1\" -uroot \"$2\"",
                "kuberunbooks-restore", ThreeScaleInstall.SystemMysql, ThreeScaleInstall.MysqlDatabase),
            stderrLine: steps.Stderr, cancellationToken: steps.Token);
        context.Log.Information($"{ThreeScaleInstall.MysqlFile} read into {db}.");
    }
}

/// <summary>The seed's system-storage section (<c>oc rsync ... --delete=true</c>): the folder mirrored, extra files deleted.</summary>
[TaskName("RestoreThreeScaleSystemStorage")]
[TaskDescription("Mirrors the system storage archive into system-app's /opt/system/public/system, deleting what the set does not hold")]
public sealed class RestoreThreeScaleSystemStorageTask : AsyncFrostingTask<RunbookContext>
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var steps = new ThreeScaleRestoreSteps(context);
        var app = await steps.ContainerAsync(ThreeScaleInstall.SystemApp);
        var staging = Directory.CreateTempSubdirectory("kuberunbooks-storage-"); // mode 0700 on Unix (mkdtemp)
        try
        {
            TarExtraction extracted;
            await using (var content = steps.Plan.Set.OpenContent(ThreeScaleInstall.StorageFile))
                extracted = TarFolder.Extract(content, staging.FullName);
            var deleted = await new PodFiles(steps.Exec).CopyToAsync(staging.FullName, app, ThreeScaleInstall.StorageFolder, mirror: true, steps.Stderr, steps.Token);
            context.Log.Information($"{ThreeScaleInstall.StorageFolder} in {app}: {extracted.Files} files ({extracted.Bytes} bytes) copied, {deleted.Count} paths the set does not hold deleted{(deleted.Count == 0 ? "" : ": " + string.Join(", ", deleted.Take(20)))}.");
            context.Journal.RecordFact("storageFiles", extracted.Files.ToString(System.Globalization.CultureInfo.InvariantCulture));
            context.Journal.RecordFact("storageDeleted", string.Join(", ", deleted));
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }
}

/// <summary>The seed's zync-database section: the dump read by <c>psql</c>.</summary>
[TaskName("RestoreThreeScaleZyncDatabase")]
[TaskDescription("Streams the zync-database dump into psql")]
public sealed class RestoreThreeScaleZyncDatabaseTask : AsyncFrostingTask<RunbookContext>
{
    /// <inheritdoc />
    public override Task RunAsync(RunbookContext context) =>
        new ThreeScaleRestoreSteps(context).PsqlAsync(ThreeScaleInstall.ZyncDatabase, ThreeScaleInstall.ZyncFile);
}

/// <summary>The seed's backend-redis section (see <see cref="RedisDumpLoad"/>).</summary>
[TaskName("RestoreThreeScaleBackendRedis")]
[TaskDescription("backend-redis: persistence off in redis-config, rollout, old files moved aside, dump copied in, rollout, redis-config back, rollout")]
public sealed class RestoreThreeScaleBackendRedisTask : AsyncFrostingTask<RunbookContext>
{
    /// <inheritdoc />
    public override Task RunAsync(RunbookContext context) => Load(context, ThreeScaleInstall.BackendRedis, ThreeScaleInstall.BackendRedisFile);

    internal static async Task Load(RunbookContext context, string workload, string file)
    {
        try
        {
            await new ThreeScaleRestoreSteps(context).LoadRedisAsync(workload, file);
        }
        catch (RedisDumpLoadException e)
        {
            var plan = ThreeScaleRestorePlan.Of(context);
            throw new StepFailedException($"{e.Message} The restore stays recorded on {plan.Anchor}: run {ThreeScaleTargets.Restore} --backup={plan.Set.Name} again to finish it.", e);
        }
    }
}

/// <summary>The seed's system-redis section, the same steps.</summary>
[TaskName("RestoreThreeScaleSystemRedis")]
[TaskDescription("system-redis: the same steps as backend-redis")]
public sealed class RestoreThreeScaleSystemRedisTask : AsyncFrostingTask<RunbookContext>
{
    /// <inheritdoc />
    public override Task RunAsync(RunbookContext context) => RestoreThreeScaleBackendRedisTask.Load(context, ThreeScaleInstall.SystemRedis, ThreeScaleInstall.SystemRedisFile);
}

/// <summary>The seed's backend-worker and system-app sections: a rollout of each.</summary>
[TaskName("RolloutThreeScaleApps")]
[TaskDescription("Rolls out backend-worker and system-app")]
public sealed class RolloutThreeScaleAppsTask : AsyncFrostingTask<RunbookContext>
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var steps = new ThreeScaleRestoreSteps(context);
        foreach (var name in new[] { ThreeScaleInstall.BackendWorker, ThreeScaleInstall.SystemApp })
            await steps.Rollout.RolloutLatestAsync(steps.Plan.Workloads[name], ThreeScaleInstall.PodSelector(name), context.Profile.Timeouts.Rollout, steps.Token);
    }
}

/// <summary>The seed's system-sidekiq section: <c>bundle exec rake zync:resync:domains</c>.</summary>
[TaskName("ResyncThreeScaleDomains")]
[TaskDescription("Runs 'bundle exec rake zync:resync:domains' in system-sidekiq")]
public sealed class ResyncThreeScaleDomainsTask : AsyncFrostingTask<RunbookContext>
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var steps = new ThreeScaleRestoreSteps(context);
        var sidekiq = await steps.ContainerAsync(ThreeScaleInstall.SystemSidekiq);
        using var output = new MemoryStream();
        await steps.Exec.RunCheckedAsync(sidekiq.Exec("bash", "-c", "bundle exec rake zync:resync:domains"), output, null, steps.Stderr, steps.Token);
        foreach (var line in System.Text.Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            context.Log.Information($"  {line}");
        context.Log.Information($"zync:resync:domains ran in {sidekiq}.");
    }
}

/// <summary>
/// The restore's end: what was restored, every Redis file kept aside (by this run and by a killed run it resumed, read
/// from the operation record), the seed's open issues as warnings; then the operation record is removed.
/// </summary>
[TaskName("ThreeScaleRestoreReport")]
[TaskDescription("Summarises the restore, names the Redis files kept aside, lists the seed's open issues (Sphinx index, job queues) as warnings, closes the operation record")]
public sealed class ThreeScaleRestoreReportTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var steps = new ThreeScaleRestoreSteps(context);
        var plan = steps.Plan;
        context.Log.Information($"3scale restored from {plan.Set.Name} into namespace {plan.Settings.Namespace}.");
        var kept = ThreeScaleRestoreLedger.MovedAside(await steps.Ledger.ReadAsync(steps.Token));
        context.Log.Information(kept.Count == 0 ? "No Redis file was moved aside." : $"Kept aside (not deleted; remove them once the restore is checked): {string.Join("; ", kept)}.");
        context.Journal.RecordFact("movedAside", string.Join("; ", kept));
        foreach (var issue in ThreeScaleInstall.OpenIssues) context.Log.Warning($"warning: {issue}");
        context.Journal.RecordFact("warnings", string.Join(" | ", ThreeScaleInstall.OpenIssues));
        await steps.Ledger.FinishAsync(steps.Token);
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        yield return $"remove the operation record {Kubernetes.Annotations.AnnotationStore.Operation} from {ThreeScaleRestorePlan.Of((RunbookContext)context).Anchor}";
    }
}

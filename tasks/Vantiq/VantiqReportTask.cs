using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>The run's summary for people: versions before and after, the backup, the downtime, the replicas.</summary>
[TaskName("VantiqReport")]
[TaskDescription("Summarises the run: versions before and after, backup id, downtime, replicas")]
public sealed class VantiqReportTask : FrostingTask<RunbookContext>
{
    /// <inheritdoc />
    public override void Run(RunbookContext context)
    {
        var plan = VantiqPlan.Of(context);
        var outcome = context.RunState<VantiqOutcome>();
        var lines = new List<string> { $"{plan.Target} on cluster '{plan.Cluster}' complete." };
        if (plan.To is { } to) lines.Add($"Version: {plan.From} -> {outcome.VersionAfter ?? to.ToString()}");
        if (outcome.BackupId is { } backup) lines.Add($"Backup: {backup} (restore with ./build.sh --target=MongoRestore --cluster={plan.Cluster} --backup={backup})");
        if (plan.RestoreBackupId is { } restored) lines.Add($"Restored backup: {restored}");
        if (outcome.Downtime is { } downtime) lines.Add($"Downtime: {downtime:hh\\:mm\\:ss}");
        if (outcome.ReplicasRestored is { } replicas) lines.Add($"Replicas: {replicas}");
        foreach (var line in lines) context.Log.Information(line);
    }
}

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
        var plan = context.Plan<VantiqPlan>();
        var facts = context.Facts;
        var lines = new List<string> { $"{plan.Target} on cluster '{plan.Cluster}' complete." };
        if (plan.To is { } to) lines.Add($"Version: {plan.From} -> {(facts.TryGet(VantiqFacts.VersionAfter, out var after) ? after : to.ToString())}");
        if (facts.TryGet(VantiqFacts.BackupId, out var backup))
            lines.Add($"Backup: {backup} (restore with {RunbookCommand.Text(VantiqTargets.MongoRestore, plan.Cluster, ("backup", backup))})");
        if (plan.RestoreBackupId is { } restored) lines.Add($"Restored backup: {restored}");
        if (facts.TryGet(VantiqFacts.Downtime, out var downtime)) lines.Add($"Downtime: {downtime:hh\\:mm\\:ss}");
        if (facts.TryGet(VantiqFacts.ReplicasRestored, out var replicas)) lines.Add($"Replicas: {replicas}");
        foreach (var line in lines) context.Log.Information(line);
    }
}

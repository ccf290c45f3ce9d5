using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Clusters.Yaml;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>
/// With --save-profile: the profile's <c>schedule</c> (the tool's --scheduled backups) and <c>backups.retention</c>
/// get the same values, edited in place so comments and layout stay. Without it: nothing.
/// </summary>
[TaskName("SaveBackupScheduleToProfile")]
[TaskDescription("With --save-profile: writes the schedule and retention into the cluster profile too (comments kept)")]
public sealed class SaveBackupScheduleToProfileTask : FrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override bool ShouldRun(RunbookContext context) => BackupSchedulePlan.Of(context).SaveProfile;

    /// <inheritdoc />
    public override void Run(RunbookContext context)
    {
        var plan = BackupSchedulePlan.Of(context);
        var text = File.ReadAllText(plan.ProfilePath);
        var edited = ProfileScheduleEditor.Apply(plan.ProfilePath, text, plan.Schedule, plan.Keep, context.Products.Sections);
        if (edited == text)
        {
            context.Log.Information("{0}", $"{plan.ProfilePath} already has these values.");
            return;
        }

        var temp = plan.ProfilePath + ".tmp";
        File.WriteAllText(temp, edited);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, File.GetUnixFileMode(plan.ProfilePath));
        File.Move(temp, plan.ProfilePath, overwrite: true);
        context.Log.Information("{0}", $"Wrote {What(plan)} to {plan.ProfilePath}.");
        context.Journal.RecordFact("profileSaved", plan.ProfilePath);
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = BackupSchedulePlan.Of((RunbookContext)context);
        if (!plan.SaveProfile) return [];
        // The edit is checked under --dryrun too: a profile it cannot edit fails the dry run as it would the run.
        ProfileScheduleEditor.Apply(plan.ProfilePath, File.ReadAllText(plan.ProfilePath), plan.Schedule, plan.Keep, ((RunbookContext)context).Products.Sections);
        return [$"write {What(plan)} to {plan.ProfilePath}"];
    }

    private static string What(BackupSchedulePlan plan) =>
        string.Join(" and ", new[] { plan.Schedule is { } s ? $"schedule: {s}" : null, plan.Keep is { } k ? $"backups.retention: {k}" : null }.OfType<string>());
}

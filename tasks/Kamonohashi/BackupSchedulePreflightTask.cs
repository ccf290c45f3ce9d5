using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>
/// Validates --schedule and --keep, then reads the application's settings where the profile says they live; changes
/// nothing. A malformed schedule is one error line naming the slot at fault, exit 2.
/// </summary>
[TaskName("BackupSchedulePreflight")]
[TaskDescription("Checks --schedule / --keep and reads the application's backup settings; changes nothing")]
public sealed class BackupSchedulePreflightTask : FrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override void Run(RunbookContext context)
    {
        var plan = BackupSchedulePlan.Of(context);
        context.Log.Information("{0}", $"{KamonohashiTargets.SetBackupSchedule} on cluster '{plan.Cluster}': settings in {plan.Store.Description}.");
        foreach (var setting in plan.Requested)
        {
            var line = setting.Current == setting.Wanted ? $"{setting.Key} is already {setting.Wanted}." : setting.Describe(BackupSchedulePlan.DefaultOf(setting.Key));
            context.Log.Information("{0}", line);
            context.Journal.RecordFact(setting.Key, setting.Wanted);
        }
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        // Validation runs under --dryrun too: a dry run with bad input fails as the real run would.
        BackupSchedulePlan.Of((RunbookContext)context);
        return [];
    }
}

using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Vantiq.Secrets;

/// <summary>
/// The seed's step by hand: the files in place renamed <c>NAME.yyyyMMdd</c> (<c>.1</c>, <c>.2</c> the same day) and the new
/// ones copied in with mode 0600; for a rollback, the archived set renamed back and the files it replaces kept aside.
/// A failure part way puts the folder back as it was.
/// </summary>
[TaskName("InstallSensitiveFiles")]
[TaskDescription("Archives the files in the sensitive folder as NAME.yyyyMMdd and installs the new ones (mode 0600); a rollback renames the dated set back")]
public sealed class InstallSensitiveFilesTask : FrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override void Run(RunbookContext context)
    {
        var plan = SecretRenewalPlan.Of(context);
        var state = plan.State;
        var log = Kubernetes.Logging.LineSinks.ToCakeLog(context.Log);
        var folder = new KubeRunbooks.Secrets.SensitiveFolder(plan.Folder.Path, log);
        if (plan.RollbackSet is { } set)
        {
            state.KeptAside = folder.Restore(set, DateTimeOffset.UtcNow);
            context.Journal.RecordFact("keptAside", state.KeptAside.Count == 0 ? "none" : string.Join(", ", state.KeptAside));
        }
        else
        {
            state.Archived = folder.Replace(plan.Files, DateOnly.FromDateTime(DateTime.UtcNow));
            context.Journal.RecordFact("archived", state.Archived?.Describe() ?? "nothing (no files were in place)");
        }

        state.FolderChanged = true;
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = SecretRenewalPlan.Of((RunbookContext)context);
        if (plan.RollbackSet is { } set)
        {
            yield return $"in {plan.Folder.Path}: keep {string.Join(", ", set.Names)} aside as NAME.rolledback-<time>, rename {set.Describe()} back";
            yield break;
        }

        yield return $"in {plan.Folder.Path}: rename {string.Join(", ", plan.Files.Select(f => f.Name))} to NAME.{plan.TodaySuffix} (or the next free .N), install the new files with mode 0600";
    }
}

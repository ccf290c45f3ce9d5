using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Secrets;

namespace KubeRunbooks.Tasks.Vantiq.Secrets;

/// <summary>
/// The seed's step by hand: the files in place renamed <c>NAME.yyyyMMdd</c> (<c>.1</c>, <c>.2</c> the same day) and the new
/// ones copied in with mode 0600; for a rollback, the archived set renamed back and the files it replaces kept aside.
/// A failure part way puts the folder back as it was.
/// </summary>
[TaskName("InstallSensitiveFiles")]
[TaskDescription("Archives the files in the sensitive folder as NAME.yyyyMMdd and installs the new ones (mode 0600); a rollback renames the dated set back")]
public sealed class InstallSensitiveFilesTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var plan = SecretRenewalPlan.Of(context);
        var state = plan.State;
        var ledger = plan.LedgerOn(context);
        if (plan.FilesInPlace)
        {
            // Resumed: the killed run installed the files; what it moved aside is in its record.
            var moved = plan.Ledger.Resumed?.TakenOf(SecretRenewalPlan.ArchivedTaken) is { Length: > 0 } taken ? taken.Split(',', StringSplitOptions.TrimEntries) : [];
            if (plan.RollbackSet is null) state.Archived = ArchivedFrom(moved, plan.Files.Select(f => f.Name).ToList());
            else state.KeptAside = moved;
            state.FolderChanged = true;
            context.Log.Information($"The files of the unfinished {plan.Target} are in place in {plan.Folder.Path} (moved aside by it: {(moved.Length == 0 ? "none" : string.Join(", ", moved))}): not installed again.");
            context.Journal.RecordFact(plan.RollbackSet is null ? "archived" : "keptAside", moved.Length == 0 ? "none" : string.Join(", ", moved));
            return;
        }

        var log = Kubernetes.Logging.LineSinks.ToCakeLog(context.Log);
        var folder = new KubeRunbooks.Secrets.SensitiveFolder(plan.Folder.Path, log);
        IReadOnlyList<string> aside;
        if (plan.RollbackSet is { } set)
        {
            state.KeptAside = folder.Restore(set, DateTimeOffset.UtcNow);
            aside = state.KeptAside;
            context.Journal.RecordFact("keptAside", state.KeptAside.Count == 0 ? "none" : string.Join(", ", state.KeptAside));
        }
        else
        {
            state.Archived = folder.Replace(plan.Files, DateOnly.FromDateTime(DateTime.UtcNow));
            aside = state.Archived?.Names.Select(n => $"{n}.{state.Archived.Suffix}").ToList() ?? [];
            context.Journal.RecordFact("archived", state.Archived?.Describe() ?? "nothing (no files were in place)");
        }

        state.FolderChanged = true;
        if (ledger is not null)
        {
            // The dated names, never the content: a rerun after a kill finds what to put back in them.
            await ledger.TakeAsync(SecretRenewalPlan.ArchivedTaken, string.Join(",", aside), context.LockLost);
            await ledger.MarkAsync(SecretRenewalPlan.FilesInstalledMark, DateTimeOffset.UtcNow, context.LockLost);
        }
    }

    // "fullchain.crt.20261206.1,private.key.20261206.1" back into the set it names.
    private static ArchivedSet? ArchivedFrom(IReadOnlyList<string> moved, IReadOnlyList<string> names)
    {
        var present = names.Where(n => moved.Any(m => m.StartsWith(n + ".", StringComparison.Ordinal))).ToList();
        if (present.Count == 0) return null;
        var first = moved.First(m => m.StartsWith(present[0] + ".", StringComparison.Ordinal));
        return ArchivedSet.FromSuffix(first[(present[0].Length + 1)..], present);
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var plan = SecretRenewalPlan.Of((RunbookContext)context);
        if (plan.FilesInPlace)
        {
            yield return $"in {plan.Folder.Path}: nothing (the unfinished {plan.Target} installed its files already)";
            yield break;
        }

        if (plan.RollbackSet is { } set)
        {
            yield return $"in {plan.Folder.Path}: keep {string.Join(", ", set.Names)} aside as NAME.rolledback-<time>, rename {set.Describe()} back";
            yield break;
        }

        yield return $"in {plan.Folder.Path}: rename {string.Join(", ", plan.Files.Select(f => f.Name))} to NAME.{plan.TodaySuffix} (or the next free .N), install the new files with mode 0600";
    }
}

using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>
/// ExastroRestore's first step, before anything stops: the set named by <c>--backup</c> verified as a whole and
/// matched to the install (the plan refuses a bad or mismatched set with one line, exit 2).
/// </summary>
[TaskName("CheckExastroBackupSet")]
[TaskDescription("Verifies the --backup set (every file, its marker, the encryption key) and matches it to the install, before anything stops")]
public sealed class CheckExastroBackupSetTask : FrostingTask<RunbookContext>
{
    /// <inheritdoc />
    public override void Run(RunbookContext context)
    {
        var plan = context.Plan<ExastroRestorePlan>();
        context.Facts.Record(ExastroFacts.RestoredSet, plan.Set.Name);
        context.Facts.Record(ExastroFacts.DatabaseServers, plan.Install.SeparateServers ? "separate" : "shared");
        context.Log.Information($"The backup set {plan.Set.Name} is good ({plan.Set.Manifest.Files.Count} files, taken {plan.Set.Manifest.Started:u} from cluster {plan.Set.Manifest.Cluster}).");
    }
}

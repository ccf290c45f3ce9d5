using k8s;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Secrets;

namespace KubeRunbooks.Tasks.Vantiq.Secrets;

/// <summary>Puts back what a failed renewal changed: the Secrets as they were, then the sensitive folder.</summary>
internal static class SecretRenewalUndo
{
    /// <summary>Undoes; returns one line saying what state it left (for the failure message) and whether all was put back.</summary>
    public static (string Left, bool Complete) Run(RunbookContext context, SecretRenewalPlan plan, SecretRenewalState state)
    {
        var log = Kubernetes.Logging.LineSinks.ToCakeLog(context.Log);
        var lines = new List<string>();
        var complete = true;
        var writer = new SecretWriter(context.Kubernetes, log);
        foreach (var written in state.Written.AsEnumerable().Reverse())
        {
            var before = plan.Previous.First(p => p.Wanted == written).Before;
            try
            {
                if (before is null)
                {
                    context.Kubernetes.CoreV1.DeleteNamespacedSecretAsync(written.Name, written.Namespace).GetAwaiter().GetResult();
                    lines.Add($"{written} removed (it did not exist before)");
                }
                else
                {
                    writer.WriteAsync(before, context.RunId).GetAwaiter().GetResult();
                    writer.VerifyAsync(before).GetAwaiter().GetResult();
                    lines.Add($"{written} back to its previous content ({SecretFingerprints.Describe(before.Fingerprints())})");
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                complete = false;
                lines.Add($"{written} could NOT be put back ({e.GetType().Name}: {context.Masker.Mask(e.Message)}): it holds the new content");
            }
        }

        if (state.FolderChanged)
        {
            var folder = new SensitiveFolder(plan.Folder.Path, log);
            try
            {
                if (plan.RollbackSet is { } set) folder.UndoRestore(set, state.KeptAside);
                else folder.UndoReplace(plan.Files, state.Archived);
                lines.Add($"{plan.Folder.Path} is as it was before this run");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                complete = false;
                lines.Add($"{plan.Folder.Path} could NOT be put back ({e.Message})");
            }
        }

        return (lines.Count == 0 ? "nothing had been changed" : string.Join("; ", lines), complete);
    }
}

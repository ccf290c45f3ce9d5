using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Secrets;

namespace KubeRunbooks.Tasks.Vantiq.Secrets;

/// <summary>
/// Checks everything before the first change: the files (PEM, chain, key, validity, host, expiry for a certificate;
/// both files and a PEM public key for a license), the archived set of a rollback, the Secrets now, no unfinished
/// operation. Changes nothing.
/// </summary>
[TaskName("ValidateSecretRenewal")]
[TaskDescription("Checks the new (or archived) certificate or license files and the cluster; changes nothing")]
public sealed class ValidateSecretRenewalTask : FrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override void Run(RunbookContext context)
    {
        var plan = SecretRenewalPlan.Of(context);
        context.Log.Information($"{plan.Target} on cluster '{plan.Cluster}': sensitive folder {plan.Folder.Path}.");
        if (plan.RollbackSet is { } set)
        {
            context.Log.Information($"Rolling back to {set.Describe()}.");
            context.Journal.RecordFact("rollbackSet", set.Suffix);
        }

        if (plan.Certificate is { } certificate)
        {
            context.Log.Information($"Certificate: {certificate.Describe()}, chain of {certificate.Chain.Count}; host {certificate.HostChecked ?? "not checked (no vantiq.domain)"}.");
            context.Journal.RecordFact("certificate", certificate.Leaf.Subject);
            context.Journal.RecordFact("certificateSha256", certificate.LeafFingerprint);
            context.Journal.RecordFact("certificateNotAfter", certificate.NotAfter.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        }

        foreach (var (wanted, before) in plan.Previous)
            context.Journal.RecordFact($"before:{wanted}", before is null ? "absent" : SecretFingerprints.Describe(before.Fingerprints()));
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        // Validation runs under --dryrun too: bad input fails the dry run as it would the real one.
        SecretRenewalPlan.Of((RunbookContext)context);
        return [];
    }
}

using Cake.Core;
using KubeRunbooks.Clusters;
using KubeRunbooks.Errors;

namespace KubeRunbooks.Safety;

/// <summary>
/// A profile marked <c>production: true</c> takes a change only with <c>--confirm=CLUSTER_NAME</c>, the name
/// typed again (in a pipeline: an input the person starting it fills). Read-only targets and <c>--dryrun</c> need
/// none. Checked while the run's context is built, before any task, so a refusal changes nothing (exit 2).
/// </summary>
public static class ProductionConfirmation
{
    /// <summary>The command-line argument that carries the confirmation.</summary>
    public const string ArgumentName = "confirm";

    /// <summary>Throws <see cref="InvalidInputException"/> when the run would change a production cluster unconfirmed.</summary>
    /// <param name="context">The run's Cake context (arguments, engine).</param>
    /// <param name="profile">The loaded profile.</param>
    /// <param name="isDryRun">True under --dryrun: nothing changes, nothing to confirm.</param>
    public static void Require(ICakeContext context, ClusterProfile profile, bool isDryRun)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(profile);
        if (!profile.Production || isDryRun)
        {
            return;
        }

        var given = context.Arguments.HasArgument(ArgumentName) ? context.Arguments.GetArguments(ArgumentName).LastOrDefault() : null;
        if (string.Equals(given, profile.Name, StringComparison.Ordinal))
        {
            return;
        }

        var changes = RunMutations.Of(context);
        if (changes.Count == 0)
        {
            return;
        }

        var target = string.Join(", ", RunMutations.Targets(context));
        throw new InvalidInputException(string.IsNullOrEmpty(given)
            ? $"cluster '{profile.Name}' is marked production and {target} changes it ({string.Join(", ", changes)}): add --{ArgumentName}={profile.Name} to go ahead, or --dryrun to rehearse"
            : $"--{ArgumentName}={given} does not name the production cluster '{profile.Name}': {target} changes it; add --{ArgumentName}={profile.Name} to go ahead");
    }
}

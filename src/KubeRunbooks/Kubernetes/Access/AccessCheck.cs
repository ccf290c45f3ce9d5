using k8s;
using k8s.Models;
using KubeRunbooks.Errors;

namespace KubeRunbooks.Kubernetes.Access;

/// <summary>
/// Asks the cluster (SelfSubjectAccessReview, what <c>kubectl auth can-i</c> sends) whether the run's account holds
/// every rule a target's manifest lists, before the target's first change: a missing one is one error line naming
/// the verb and resource, exit 2, and nothing done, instead of a 403 half-way through.
/// </summary>
public sealed class AccessCheck(IKubernetes client)
{
    /// <summary>The rules the account does not hold, in the manifest's order (empty when it holds them all).</summary>
    public async Task<IReadOnlyList<AccessRule>> MissingAsync(IEnumerable<AccessRule> rules, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var missing = new List<AccessRule>();
        foreach (var rule in rules.Distinct())
        {
            var review = new V1SelfSubjectAccessReview
            {
                Spec = new V1SelfSubjectAccessReviewSpec
                {
                    ResourceAttributes = new V1ResourceAttributes
                    {
                        Verb = rule.Verb, Group = rule.Group, Resource = rule.Resource, Subresource = rule.Subresource,
                        NamespaceProperty = rule.Namespace, Name = rule.Name,
                    },
                },
            };
            var answer = await client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(review, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (answer.Status?.Allowed != true) missing.Add(rule);
        }
        return missing;
    }

    /// <summary>
    /// Refuses (exit 2) when the account lacks a rule of <paramref name="manifest"/>, naming the first and how many;
    /// <paramref name="namespaces"/> maps the manifest's (default profile's) namespaces to the profile's.
    /// </summary>
    /// <exception cref="InvalidInputException">A rule is missing.</exception>
    public async Task RequireAsync(RoleManifest manifest, string target, IReadOnlyDictionary<string, string>? namespaces = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var rules = namespaces is null ? manifest.Rules : ProfileNamespaces.Apply(manifest.Rules, namespaces);
        var missing = await MissingAsync(rules, cancellationToken).ConfigureAwait(false);
        if (missing.Count == 0) return;
        var more = missing.Count > 1 ? $" (and {missing.Count - 1} more rule(s))" : "";
        throw new InvalidInputException(
            $"{target} needs permission to {missing[0].Describe()}, which this account does not have{more}; grant rbac/{manifest.Name}. Nothing was changed.");
    }
}

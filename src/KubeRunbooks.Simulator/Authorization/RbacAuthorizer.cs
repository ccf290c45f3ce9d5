using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Authorization;

/// <summary>
/// RBAC as the API server evaluates it: a request is allowed when a rule of a Role or ClusterRole bound to the user
/// (by name, service account or group) in the request's namespace (RoleBinding) or cluster-wide (ClusterRoleBinding)
/// matches its verb, API group, resource (with subresource), name, or non-resource path. Members of
/// <c>system:masters</c> are always allowed; discovery and self reviews are left to the caller (every authenticated
/// user has them on a real cluster through <c>system:discovery</c> and <c>system:basic-user</c>).
/// </summary>
public sealed class RbacAuthorizer(ObjectStore store) : IAuthorizer
{
    /// <inheritdoc />
    public AccessDecision Decide(AccessAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var user = attributes.User ?? RequestUser.Admin;
        if (user.IsSuperUser) return new AccessDecision(true, "");
        foreach (var binding in store.List(ResourceCatalog.ClusterRoleBindings).Items)
        {
            if (!Binds(binding, user)) continue;
            if (RulesOf(binding, null).Any(rule => Matches(rule, attributes)))
                return Allowed("ClusterRoleBinding", binding, user);
        }
        if (attributes.Namespace is { } ns)
        {
            foreach (var binding in store.List(ResourceCatalog.RoleBindings).Items.Where(b => (string?)b["metadata"]?["namespace"] == ns))
            {
                if (!Binds(binding, user)) continue;
                if (RulesOf(binding, ns).Any(rule => Matches(rule, attributes)))
                    return Allowed("RoleBinding", binding, user);
            }
        }
        return new AccessDecision(false, "");
    }

    private static AccessDecision Allowed(string bindingKind, JsonObject binding, RequestUser user) =>
        new(true, $"RBAC: allowed by {bindingKind} \"{binding["metadata"]?["name"]}\" of {binding["roleRef"]?["kind"]} \"{binding["roleRef"]?["name"]}\" to {user.Name}");

    private static bool Binds(JsonObject binding, RequestUser user) =>
        (binding["subjects"] as JsonArray)?.OfType<JsonObject>().Any(subject => (string?)subject["kind"] switch
        {
            "ServiceAccount" => user.Name == $"system:serviceaccount:{subject["namespace"] ?? binding["metadata"]?["namespace"]}:{subject["name"]}",
            "User" => user.Name == (string?)subject["name"],
            "Group" => user.Groups.Contains((string?)subject["name"] ?? ""),
            _ => false,
        }) == true;

    // A RoleBinding may refer to a Role of its namespace or to a ClusterRole; a ClusterRoleBinding only to a ClusterRole.
    private IEnumerable<JsonObject> RulesOf(JsonObject binding, string? ns)
    {
        var kind = (string?)binding["roleRef"]?["kind"];
        var name = (string?)binding["roleRef"]?["name"] ?? "";
        var role = kind switch
        {
            "ClusterRole" => store.TryGet(ResourceCatalog.ClusterRoles, null, name),
            "Role" when ns is not null => store.TryGet(ResourceCatalog.Roles, ns, name),
            _ => null,
        };
        return (role?["rules"] as JsonArray)?.OfType<JsonObject>() ?? [];
    }

    private static bool Matches(JsonObject rule, AccessAttributes a)
    {
        if (!Has(rule, "verbs", a.Verb)) return false;
        if (a.IsNonResource)
            return Strings(rule, "nonResourceURLs").Any(url => url == "*" || url == a.Path || (url.EndsWith('*') && a.Path!.StartsWith(url[..^1], StringComparison.Ordinal)));
        if (!Has(rule, "apiGroups", a.Group ?? "")) return false;
        var resource = a.Subresource is null ? a.Resource : $"{a.Resource}/{a.Subresource}";
        var resourceMatch = Strings(rule, "resources").Any(r => r == "*" || r == resource ||
            (a.Subresource is not null && (r == $"{a.Resource}/*" || r == $"*/{a.Subresource}")));
        if (!resourceMatch) return false;
        var names = Strings(rule, "resourceNames").ToList();
        return names.Count == 0 || (a.Name is not null && names.Contains(a.Name));
    }

    private static bool Has(JsonObject rule, string field, string value) => Strings(rule, field).Any(v => v == "*" || v == value);

    private static IEnumerable<string> Strings(JsonObject rule, string field) =>
        (rule[field] as JsonArray)?.Select(v => (string?)v).OfType<string>() ?? [];
}

namespace KubeRunbooks.Simulator.Authorization;

/// <summary>The 403 message of a request RBAC refused, worded as the real API server words it.</summary>
public static class ForbiddenMessage
{
    /// <summary>
    /// <c>pods "x" is forbidden: User "system:serviceaccount:ns:sa" cannot get resource "pods" in API group "" in the
    /// namespace "ns"</c>; <c>… cannot list resource "nodes" in API group "" at the cluster scope</c>;
    /// <c>forbidden: User "…" cannot get path "/metrics"</c>.
    /// </summary>
    public static string For(AccessAttributes attributes, RequestUser user)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(user);
        if (attributes.IsNonResource) return $"forbidden: User \"{user.Name}\" cannot {attributes.Verb} path \"{attributes.Path}\"";
        var resource = attributes.Subresource is null ? attributes.Resource : $"{attributes.Resource}/{attributes.Subresource}";
        // The object is named by its group-qualified resource (deployments.apps), the rule by resource/subresource.
        var qualified = string.IsNullOrEmpty(attributes.Group) ? attributes.Resource : $"{attributes.Resource}.{attributes.Group}";
        var subject = attributes.Name is null ? $"{qualified} is forbidden" : $"{qualified} \"{attributes.Name}\" is forbidden";
        var scope = attributes.Namespace is null ? "at the cluster scope" : $"in the namespace \"{attributes.Namespace}\"";
        return $"{subject}: User \"{user.Name}\" cannot {attributes.Verb} resource \"{resource}\" in API group \"{attributes.Group}\" {scope}";
    }
}

namespace KubeRunbooks.Kubernetes.Access;

/// <summary>One permission a target needs: a verb on a resource (optionally a subresource and one object) in a namespace or cluster-wide.</summary>
/// <param name="Verb">get, list, watch, create, update, patch, delete, deletecollection.</param>
/// <param name="Group">API group, "" for core.</param>
/// <param name="Resource">Resource, plural (<c>deployments</c>).</param>
/// <param name="Subresource">Subresource (<c>scale</c>, <c>exec</c>), or null.</param>
/// <param name="Namespace">Namespace, or null for a cluster-scoped permission.</param>
/// <param name="Name">One object's name, or null for any.</param>
public sealed record AccessRule(string Verb, string Group, string Resource, string? Subresource, string? Namespace, string? Name)
{
    /// <summary><c>patch deployments.apps in namespace kqi-system</c>, <c>create pods/exec …</c>, <c>list nodes cluster-wide</c>.</summary>
    public string Describe()
    {
        var resource = (Group.Length == 0 ? Resource : $"{Resource}.{Group}") + (Subresource is null ? "" : "/" + Subresource);
        var name = Name is null ? "" : $" \"{Name}\"";
        return $"{Verb} {resource}{name} " + (Namespace is null ? "cluster-wide" : $"in namespace {Namespace}");
    }
}

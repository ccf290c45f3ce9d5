namespace KubeRunbooks.Simulator.Authorization;

/// <summary>
/// What is asked: a verb on a resource (group, resource, subresource, namespace, name) or on a
/// non-resource path (<c>/healthz</c>), as a SelfSubjectAccessReview's spec carries it.
/// </summary>
/// <param name="Verb">get, list, watch, create, update, patch, delete, deletecollection, or * for all.</param>
/// <param name="Group">API group ("" for core), or * for all; null for a non-resource request.</param>
/// <param name="Resource">Resource (plural), or * for all; null for a non-resource request.</param>
/// <param name="Subresource">Subresource (scale, exec, log), or null.</param>
/// <param name="Namespace">Namespace, or null for all or cluster-scoped.</param>
/// <param name="Name">Object name, or null for all.</param>
/// <param name="Path">The non-resource path, or null for a resource request.</param>
public sealed record AccessAttributes(string Verb, string? Group, string? Resource, string? Subresource, string? Namespace, string? Name, string? Path)
{
    /// <summary>Who asks; null for the cluster's administrator.</summary>
    public RequestUser? User { get; init; }

    /// <summary>True for a non-resource request (a URL path rather than a resource).</summary>
    public bool IsNonResource => Path != null;
}

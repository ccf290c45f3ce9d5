namespace KubeRunbooks.Simulator.Store;

/// <summary>
/// One kind of object the simulated API server serves: where it lives on the wire (group,
/// version, plural) and what discovery says about it.
/// </summary>
/// <param name="Group">API group; empty for the core group.</param>
/// <param name="Version">API version (v1).</param>
/// <param name="Kind">Kind, e.g. <c>StatefulSet</c>.</param>
/// <param name="Plural">Resource name in URLs, e.g. <c>statefulsets</c>.</param>
/// <param name="Singular">Singular resource name, e.g. <c>statefulset</c>.</param>
/// <param name="Namespaced">True for namespaced kinds.</param>
/// <param name="ShortNames">Short names kubectl accepts (<c>sts</c>).</param>
/// <param name="HasStatus">True when the kind has a status subresource.</param>
/// <param name="HasScale">True when the kind has a scale subresource.</param>
/// <param name="HasGeneration">True when spec changes bump metadata.generation.</param>
public sealed record ResourceKind(
    string Group,
    string Version,
    string Kind,
    string Plural,
    string Singular,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    bool HasStatus,
    bool HasScale,
    bool HasGeneration)
{
    /// <summary>The apiVersion field of objects of this kind (<c>v1</c>, <c>apps/v1</c>).</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The kind of lists of this kind (<c>StatefulSetList</c>).</summary>
    public string ListKind => Kind + "List";

    /// <summary>The qualified resource name used in error messages (<c>statefulsets.apps</c>, <c>pods</c>).</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>The qualified resource name of a subresource in error messages (<c>statefulsets.apps</c> stays the same).</summary>
    public override string ToString() => QualifiedName;
}

namespace KubeRunbooks.Kubernetes.Access;

/// <summary>The permission an API request needs, read from its method and URL as the API server's authorizer reads it.</summary>
public static class RequestRule
{
    /// <summary>
    /// <c>GET /apis/apps/v1/namespaces/ns/deployments/x</c> is get deployments.apps "x" in ns; a GET without a name is
    /// list (watch with <c>watch=true</c>); POST create, PUT update, PATCH patch, DELETE delete (deletecollection without
    /// a name); exec, attach and portforward are create. Null for a path that names no resource.
    /// </summary>
    public static AccessRule? Of(HttpMethod method, Uri uri)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(uri);
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        string group;
        string[] rest;
        if (segments.Length >= 3 && segments[0] == "api") (group, rest) = ("", segments[2..]);
        else if (segments.Length >= 4 && segments[0] == "apis") (group, rest) = (segments[1], segments[3..]);
        else return null;
        string? ns = null;
        if (rest.Length >= 3 && rest[0] == "namespaces")
        {
            ns = rest[1];
            rest = rest[2..];
        }
        if (rest.Length == 0) return null;
        var resource = rest[0];
        var name = rest.Length > 1 ? rest[1] : null;
        var subresource = rest.Length > 2 ? rest[2] : null;
        var verb = subresource is "exec" or "attach" or "portforward"
            ? "create"
            : method.Method switch
            {
                "GET" or "HEAD" when name is not null => "get",
                "GET" or "HEAD" => uri.Query.Contains("watch=true", StringComparison.Ordinal) || uri.Query.Contains("watch=1", StringComparison.Ordinal) ? "watch" : "list",
                "POST" => "create",
                "PUT" => "update",
                "PATCH" => "patch",
                "DELETE" => name is null ? "deletecollection" : "delete",
                _ => method.Method.ToLowerInvariant(),
            };
        return new AccessRule(verb, group, resource, subresource, ns, name);
    }
}

using KubeRunbooks.Simulator.Api;
using Microsoft.AspNetCore.Http;

namespace KubeRunbooks.Simulator.Authorization;

/// <summary>The authorization attributes of an HTTP request to a resource URL, as the API server derives them.</summary>
internal static class RequestAttributes
{
    /// <summary>
    /// GET is get (named), list or watch (<c>?watch=true</c>); POST create; PUT update; PATCH patch; DELETE delete or
    /// deletecollection. exec, attach and portforward are create on their subresource whatever the method: since
    /// Kubernetes 1.30 a WebSocket upgrade (a GET) needs create, as the SPDY POST always did.
    /// </summary>
    public static AccessAttributes Of(HttpContext http, ResourcePath path, RequestUser user)
    {
        var method = http.Request.Method;
        var verb = path.Subresource is "exec" or "attach" or "portforward"
            ? "create"
            : method switch
            {
                "GET" or "HEAD" when path.Name is not null => "get",
                "GET" or "HEAD" => http.Request.Query["watch"] is var w && (w == "true" || w == "1") ? "watch" : "list",
                "POST" => "create",
                "PUT" => "update",
                "PATCH" => "patch",
                "DELETE" => path.Name is null ? "deletecollection" : "delete",
                _ => method.ToLowerInvariant(),
            };
        return new AccessAttributes(verb, path.Kind.Group, path.Kind.Plural, path.Subresource,
            path.Kind.Namespaced ? path.Namespace : null, path.Name, null) { User = user };
    }
}

using KubeRunbooks.Simulator.Api;
using KubeRunbooks.Simulator.Authorization;
using Microsoft.AspNetCore.Http;

namespace KubeRunbooks.Simulator.Server;

/// <summary>
/// Refuses, with the real server's 403 Status, a resource request the authorizer does not allow for its user. Only
/// resource URLs are checked: discovery, OpenAPI, version, health and self access reviews are every authenticated
/// user's on a real cluster (the <c>system:discovery</c> and <c>system:basic-user</c> roles). Every resource request,
/// the administrator's too, is written to the access log with its decision.
/// </summary>
internal sealed class RbacEnforcement(IAuthorizer authorizer, AccessLog log)
{
    public async Task InvokeAsync(HttpContext http, Func<Task> next)
    {
        var user = http.Items[RequestUser.ItemKey] as RequestUser ?? RequestUser.Admin;
        var path = ResourcePath.Parse(http.Request.Path.Value ?? "/");
        if (path is not null)
        {
            var attributes = RequestAttributes.Of(http, path, user);
            var allowed = user.IsSuperUser || authorizer.Decide(attributes).Allowed;
            log.Write(attributes, allowed);
            if (!allowed)
            {
                await Responses.WriteStatusAsync(http, 403, "Forbidden", ForbiddenMessage.For(attributes, user));
                return;
            }
        }
        await next();
    }
}
